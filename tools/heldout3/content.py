"""Invented wording banks: controls and tests, user-entity and subservice controls, description prose."""
from __future__ import annotations

# (criterion, control activity, test) — {s} is the service organization's short name.
CONTROLS = [
    ("CC1.1", "{s} maintains a code of business conduct that employees acknowledge at hire and each year thereafter.",
     "Inspected the code of conduct and, for a sample of new hires and current staff, the signed acknowledgements."),
    ("CC1.1", "Background checks are completed for new employees before system access is granted.",
     "For a sample of new hires, inspected background check results and compared their dates with access provisioning dates."),
    ("CC1.2", "The board of directors meets at least quarterly and receives a security and compliance briefing from management.",
     "Inspected board minutes for a sample of quarters to determine whether a security briefing was presented."),
    ("CC1.3", "An organizational chart defining reporting lines is maintained and reviewed by human resources twice a year.",
     "Inspected the organizational chart and evidence of the semi-annual review."),
    ("CC1.4", "Job descriptions define the skills and responsibilities of roles that support the system.",
     "Inspected job descriptions for a sample of roles supporting the system."),
    ("CC1.4", "Employees complete security awareness training at hire and annually.",
     "For a sample of employees, inspected training completion records."),
    ("CC1.5", "Managers complete annual performance reviews that include adherence to security policies.",
     "For a sample of employees, inspected the completed annual performance review."),
    ("CC2.1", "{s} uses a centralized logging platform that collects events from production systems.",
     "Inspected the logging platform configuration and a sample of log sources."),
    ("CC2.2", "Information security policies are published on the intranet and reviewed annually by the security officer.",
     "Inspected the intranet policy site and evidence of the annual policy review."),
    ("CC2.3", "System commitments and customer obligations are communicated through the master services agreement.",
     "Inspected the standard master services agreement and a sample of executed customer agreements."),
    ("CC3.1", "Management defines security objectives in an annual information security plan.",
     "Inspected the information security plan for the period."),
    ("CC3.2", "A formal risk assessment is performed annually and risks are assigned owners and treatment plans.",
     "Inspected the annual risk assessment and the risk register with owners and treatment plans."),
    ("CC3.3", "The risk assessment considers the potential for fraud, including management override of controls.",
     "Inspected the risk assessment for consideration of fraud risk factors."),
    ("CC3.4", "Significant changes to the business or its vendors are assessed for risk by the compliance team.",
     "For a sample of significant changes, inspected the documented risk assessment."),
    ("CC4.1", "Internal control testing is performed each quarter by the compliance team and results are reported to management.",
     "Inspected quarterly control testing reports for a sample of quarters."),
    ("CC4.2", "Control deficiencies are tracked in a remediation register until closed.",
     "Inspected the remediation register and, for a sample of deficiencies, evidence of closure."),
    ("CC5.1", "Policies define control activities for each key process and are approved by management.",
     "Inspected the policy set and management approval."),
    ("CC5.2", "General controls over technology are defined in the information technology general controls standard.",
     "Inspected the information technology general controls standard."),
    ("CC5.3", "Procedures are documented in runbooks that are reviewed by process owners annually.",
     "Inspected a sample of runbooks for evidence of annual review."),
    ("CC6.1", "Production access requires single sign-on with multi-factor authentication.",
     "Inspected the identity provider configuration and observed a login to the production console."),
    ("CC6.1", "Customer data is encrypted at rest using AES-256 managed keys.",
     "Inspected encryption settings for production databases and storage buckets."),
    ("CC6.1", "Password parameters require a minimum length of twelve characters and lockout after repeated failures.",
     "Inspected the password and lockout configuration."),
    ("CC6.2", "New user access is provisioned only after a ticket is approved by the user's manager.",
     "For a sample of new users, inspected the access request ticket for manager approval before provisioning."),
    ("CC6.2", "Access for terminated employees is revoked within one business day of termination.",
     "For a sample of terminated employees, compared the termination date with the access revocation date."),
    ("CC6.3", "User access to production systems is reviewed quarterly by system owners and inappropriate access is removed.",
     "For a sample of quarters, inspected the access review and evidence that flagged access was removed."),
    ("CC6.3", "Role-based access groups restrict administrative privileges to the infrastructure team.",
     "Inspected the membership of administrative groups and compared it with the infrastructure team roster."),
    ("CC6.4", "Physical access to the office server room requires a badge and is limited to facilities personnel.",
     "Observed the server room entrance and inspected the badge access list."),
    ("CC6.5", "Storage media are wiped or destroyed before disposal and a certificate of destruction is retained.",
     "For a sample of disposed devices, inspected certificates of destruction."),
    ("CC6.6", "Network traffic to production is filtered by firewalls that deny traffic not explicitly allowed.",
     "Inspected firewall rule sets for production network segments."),
    ("CC6.6", "Remote access to the corporate network requires a VPN connection with multi-factor authentication.",
     "Inspected VPN configuration and observed an authenticated connection."),
    ("CC6.7", "Data in transit over public networks is encrypted using TLS 1.2 or later.",
     "Inspected TLS configuration for public endpoints using a scanning tool."),
    ("CC6.8", "Endpoint protection software is installed on workstations and servers and updated automatically.",
     "For a sample of endpoints, inspected the endpoint protection console for installation and current definitions."),
    ("CC7.1", "Vulnerability scans of production systems are run weekly and critical findings are remediated within thirty days.",
     "For a sample of weeks, inspected scan results and tickets showing remediation of critical findings."),
    ("CC7.1", "Configuration baselines for servers are enforced by the configuration management tool.",
     "Inspected the baseline definitions and the tool's compliance report."),
    ("CC7.2", "Security events are monitored by an intrusion detection system that alerts the on-call engineer.",
     "Inspected intrusion detection configuration and a sample of alerts sent to the on-call engineer."),
    ("CC7.2", "An annual penetration test is performed by an independent firm and findings are tracked to resolution.",
     "Inspected the penetration test report and tickets for findings."),
    ("CC7.3", "Security incidents are logged, classified by severity and investigated according to the incident response plan.",
     "For a sample of incidents, inspected the incident tickets for classification and investigation."),
    ("CC7.4", "The incident response plan is tested annually through a tabletop exercise.",
     "Inspected the tabletop exercise report and attendee list."),
    ("CC7.5", "Post-incident reviews identify root causes and corrective actions for high severity incidents.",
     "For a sample of high severity incidents, inspected the post-incident review."),
    ("CC8.1", "Changes to production code are peer reviewed and approved before deployment.",
     "For a sample of production changes, inspected the pull request for peer review and approval before merge."),
    ("CC8.1", "Emergency changes are documented and approved retrospectively within two business days.",
     "For a sample of emergency changes, inspected retrospective approval."),
    ("CC8.1", "Development, test and production environments are logically separated.",
     "Inspected the environment configuration and access groups for each environment."),
    ("CC9.1", "A business continuity plan is maintained and reviewed annually by the operations lead.",
     "Inspected the business continuity plan and evidence of the annual review."),
    ("CC9.2", "New vendors are assessed for security risk before contracts are signed.",
     "For a sample of new vendors, inspected the completed vendor security assessment."),
    ("CC9.2", "Subservice organization assurance reports are obtained and reviewed annually.",
     "Inspected the review of subservice organization assurance reports for the period."),
    ("A1.1", "System capacity is monitored and alerts are raised when utilization exceeds defined thresholds.",
     "Inspected monitoring thresholds and a sample of capacity alerts."),
    ("A1.2", "Production databases are backed up daily and backups are replicated to a second region.",
     "For a sample of days, inspected backup job logs and replication status."),
    ("A1.2", "Backup failures generate alerts that are resolved by the operations team.",
     "For a sample of backup failure alerts, inspected the resolution ticket."),
    ("A1.3", "Restoration from backup is tested at least twice a year.",
     "Inspected restoration test records for the period."),
    ("C1.1", "Confidential information is identified and labelled according to the data classification policy.",
     "Inspected the data classification policy and a sample of labelled repositories."),
    ("C1.2", "Customer data is deleted within ninety days of contract termination.",
     "For a sample of terminated customers, inspected deletion records."),
    ("PI1.1", "Input files received from customers are validated for completeness against control totals.",
     "For a sample of input files, inspected validation logs and control totals."),
    ("PI1.2", "Processing jobs that fail validation are routed to an exception queue and resolved by operations analysts.",
     "For a sample of failed jobs, inspected the exception queue entries and their resolution."),
    ("PI1.3", "Output reports are reconciled with processed transaction counts before release.",
     "For a sample of output reports, inspected the reconciliation."),
    ("PI1.4", "Processing schedules are defined and monitored and missed jobs raise alerts.",
     "Inspected the job scheduler and a sample of missed job alerts."),
    ("P1.1", "A privacy notice describes the purposes for which personal information is collected and is published on the website.",
     "Inspected the privacy notice on the website."),
    ("P4.2", "Personal information is retained only for the periods defined in the retention schedule.",
     "Inspected the retention schedule and a sample of purge job logs."),
    ("P5.1", "Data subject access requests are fulfilled within thirty days.",
     "For a sample of access requests, compared request and fulfilment dates."),
    ("P6.1", "Personal information is disclosed to third parties only under agreements that include privacy obligations.",
     "For a sample of third parties, inspected agreements for privacy clauses."),
]

CATEGORY = {"CC": "security", "A1": "availability", "C1": "confidentiality", "PI": "processing_integrity", "P": "privacy"}


def category(crit: str) -> str:
    if crit.startswith("CC"):
        return "security"
    if crit.startswith("PI"):
        return "processing_integrity"
    if crit.startswith("A1"):
        return "availability"
    if crit.startswith("C1"):
        return "confidentiality"
    return "privacy"


CRIT_TITLES = {
    "CC1": "Control Environment", "CC2": "Communication and Information", "CC3": "Risk Assessment",
    "CC4": "Monitoring Activities", "CC5": "Control Activities", "CC6": "Logical and Physical Access Controls",
    "CC7": "System Operations", "CC8": "Change Management", "CC9": "Risk Mitigation",
    "A1": "Additional Criteria for Availability", "C1": "Additional Criteria for Confidentiality",
    "PI1": "Additional Criteria for Processing Integrity", "P": "Additional Criteria for Privacy",
}


def crit_group(c: str) -> str:
    if c.startswith("CC"):
        return c.split(".")[0]
    if c.startswith("P") and not c.startswith("PI"):
        return "P"
    return c.split(".")[0]


# CUEC actions: (verb phrase, gerund phrase, criteria)
CUEC_ACTIONS = [
    ("designate administrators and notify {s} promptly when an administrator leaves", "designating administrators and notifying {s} promptly when an administrator leaves", ["CC6.2"]),
    ("review the list of users with access to their tenant at least quarterly", "reviewing the list of users with access to their tenant at least quarterly", ["CC6.3"]),
    ("enable multi-factor authentication for all user accounts in the application", "enabling multi-factor authentication for all user accounts in the application", ["CC6.1"]),
    ("protect the credentials and API keys issued to them", "protecting the credentials and API keys issued to them", ["CC6.1", "CC6.6"]),
    ("report suspected security incidents to {s} support within twenty-four hours", "reporting suspected security incidents to {s} support within twenty-four hours", ["CC7.3"]),
    ("ensure that data uploaded to the platform is complete and accurate", "ensuring that data uploaded to the platform is complete and accurate", ["PI1.1"]),
    ("review the reports produced by the service for completeness before relying on them", "reviewing the reports produced by the service for completeness before relying on them", ["PI1.3"]),
    ("configure data retention settings in line with their own legal obligations", "configuring data retention settings in line with their own legal obligations", ["C1.2"]),
    ("maintain their own backups of data exported from the service where required", "maintaining their own backups of data exported from the service where required", ["A1.2"]),
    ("restrict the network locations from which their users may sign in", "restricting the network locations from which their users may sign in", ["CC6.6"]),
    ("approve changes to integration settings before they are requested from {s}", "approving changes to integration settings before they are requested from {s}", ["CC8.1"]),
    ("obtain consent from individuals before submitting their personal information", "obtaining consent from individuals before submitting their personal information", ["P1.1"]),
    ("remove access for their own employees who no longer require it", "removing access for their own employees who no longer require it", ["CC6.2", "CC6.3"]),
    ("keep contact details for security notifications current in the administration console", "keeping contact details for security notifications current in the administration console", ["CC2.3"]),
    ("train their users on the acceptable use of the service", "training their users on the acceptable use of the service", ["CC1.4"]),
    ("secure the workstations and networks from which they access the service", "securing the workstations and networks from which they access the service", ["CC6.8"]),
    ("review audit logs made available in the console for unusual activity", "reviewing audit logs made available in the console for unusual activity", ["CC7.2"]),
    ("encrypt files before transmitting them to {s} over file transfer channels", "encrypting files before transmitting them to {s} over file transfer channels", ["CC6.7"]),
]

# CSOC actions: (text, criteria)
CSOC_ACTIONS = [
    ("restrict physical access to data center facilities to authorized personnel", ["CC6.4"]),
    ("monitor environmental safeguards such as fire suppression, cooling and power in the data centers", ["A1.2"]),
    ("securely decommission storage media that held customer data", ["CC6.5"]),
    ("maintain redundant infrastructure to meet availability commitments", ["A1.2"]),
    ("review access to the underlying infrastructure hosting the platform", ["CC6.2", "CC6.3"]),
    ("notify customers of security incidents affecting their hosted environment", ["CC7.3"]),
    ("apply patches to the managed database engine in a timely manner", ["CC7.1"]),
    ("encrypt stored objects with keys managed by the provider", ["CC6.1"]),
    ("process payment card transactions completely and accurately", ["PI1.3"]),
    ("deliver messages sent through the service to the intended recipients", ["PI1.4"]),
]

DESC_SENTENCES = [
    "The platform is deployed in two regions, with one region serving as the primary and the other as a warm standby.",
    "Application services run in containers orchestrated by a managed Kubernetes service, and infrastructure is defined as code.",
    "Engineering, operations, security and customer support teams report to the chief technology officer or the chief operating officer.",
    "Production data is stored in managed relational databases and object storage, and is segregated by customer tenant.",
    "Customers interact with the service through a web application and a documented REST API.",
    "Support requests are received through a ticketing portal and are triaged according to documented severity levels.",
    "The security team consists of a security officer and engineers responsible for monitoring, vulnerability management and access reviews.",
    "Policies are owned by named individuals and are approved by the executive leadership team before publication.",
    "Changes to infrastructure are made through the same pipeline as application changes and are subject to the same review.",
    "Employees work from offices and remotely; corporate devices are enrolled in device management before use.",
    "Key performance and capacity metrics are displayed on shared dashboards reviewed in weekly operations meetings.",
    "Data received from customers is classified as confidential and handled according to the data handling standard.",
    "Vendors with access to systems or data are inventoried and reviewed by the compliance team.",
    "On-call engineers rotate weekly and are paged automatically by the monitoring system.",
    "The executive team reviews security metrics and the status of open risks each month.",
    "Access to the administration console is limited to named staff in operations and support.",
]

TOOLS = [
    ("GitHub", "Source code repository and pull request reviews"),
    ("Jira", "Ticketing for changes, incidents and access requests"),
    ("Slack", "Internal communication and alert routing"),
    ("PagerDuty", "On-call scheduling and paging"),
    ("Datadog", "Infrastructure and application monitoring"),
    ("CrowdStrike Falcon", "Endpoint detection and response"),
    ("Jamf", "Device management for laptops"),
    ("1Password", "Credential vault for shared secrets"),
    ("Terraform", "Infrastructure as code"),
    ("Vanta", "Compliance evidence collection"),
    ("Google Workspace", "E-mail and document collaboration"),
    ("KnowBe4", "Security awareness training"),
    ("Tenable Nessus", "Vulnerability scanning"),
    ("BambooHR", "Human resources records"),
]

NARRATIVE_SENTENCES = [
    "Evidence of each activity is retained in the ticketing system for at least one year.",
    "Process owners review the related procedure annually and record the review in the policy register.",
    "Deviations from the procedure are reported to the security officer and discussed at the monthly risk meeting.",
    "Responsibility for the activity is assigned in the RACI matrix maintained by the compliance team.",
    "The activity is supported by automated workflows that record approvals with a time stamp.",
    "Metrics for the process are reported to the executive team each quarter.",
    "New staff in the team are trained on the procedure during their first month.",
    "{s} reassesses the design of these activities when systems or vendors change significantly.",
    "Records are stored in a repository with access limited to the process owners and internal audit.",
    "Where an activity depends on a vendor, the vendor's obligations are set out in its contract.",
]
