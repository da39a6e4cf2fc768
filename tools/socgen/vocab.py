"""Word pools: organisations, tools, complementary controls, result phrasing.

All organisations that *sign* or *are examined* are fictional. Subservice
organisations and third-party tools are real, well-known vendors because real
reports name them; no text from any real report is reproduced here.
"""
from __future__ import annotations

# (legal name, short name used afterwards, system name, what the system does)
SERVICE_ORGS = [
    ("Northwind Ledger, Inc.", "Northwind", "Ledger Cloud Accounting Platform", "a cloud-based general ledger and close management application for mid-market finance teams"),
    ("Bluefin Analytics LLC", "Bluefin", "Bluefin Insights", "a marketing analytics platform that ingests advertising and web traffic data"),
    ("Quillstone Health Technologies, Inc.", "Quillstone", "Quillstone Care Coordination Platform", "care coordination and patient messaging software for clinics"),
    ("Tessellate Payroll Services, Inc.", "Tessellate", "Tessellate Payroll and Tax Filing Services", "payroll processing, tax filing, and payment services for employers"),
    ("Ironbark Security Corp.", "Ironbark", "Ironbark Managed Detection Service", "a managed detection and response service for small and mid-sized businesses"),
    ("Lumenfield Learning, Inc.", "Lumenfield", "Lumenfield LMS", "a learning management system for corporate training programs"),
    ("Copperline Logistics Software Ltd.", "Copperline", "Copperline Route Optimizer", "route planning and dispatch software for delivery fleets"),
    ("Verity Claims Administration, LLC", "Verity", "Verity Claims Processing System", "third-party administration of health and dental claims"),
    ("Harborview Data Systems, Inc.", "Harborview", "Harborview Document Vault", "secure document storage and e-signature workflows"),
    ("Palisade HR Cloud, Inc.", "Palisade", "Palisade People Platform", "human resources information and applicant tracking software"),
    ("Sparrowhawk Networks, Inc.", "Sparrowhawk", "Sparrowhawk SD-WAN Orchestrator", "software-defined networking orchestration delivered as a service"),
    ("Meridian Loan Servicing Corporation", "Meridian", "Meridian Loan Servicing System", "residential loan servicing, escrow administration, and investor reporting"),
    ("Foxglove Commerce, Inc.", "Foxglove", "Foxglove Storefront", "an e-commerce storefront and order management platform"),
    ("Granite Peak Software, Inc.", "Granite Peak", "Summit Field Service Management", "field service scheduling and work order management software"),
    ("Kinetic Signal Labs, Inc.", "Kinetic Signal", "Kinetic Observability Cloud", "a log management and observability platform"),
    ("Oakhurst Benefits Administration, Inc.", "Oakhurst", "Oakhurst Benefits Enrollment and Billing", "benefits enrollment, eligibility, and premium billing services"),
    ("Riverbend Telehealth, Inc.", "Riverbend", "Riverbend Virtual Visit Platform", "video visits and scheduling for telehealth providers"),
    ("Saltmarsh Identity, Inc.", "Saltmarsh", "Saltmarsh Access Cloud", "identity verification and access management APIs"),
    ("Trellis Procurement Solutions, LLC", "Trellis", "Trellis Source-to-Pay Suite", "procurement, supplier management, and invoice automation"),
    ("Westgate Transit Data, Inc.", "Westgate", "Westgate Fare Collection Platform", "fare collection and ridership analytics for transit agencies"),
    ("Ambergris Customer Messaging, Inc.", "Ambergris", "Ambergris Engage", "omnichannel customer messaging and support ticketing"),
    ("Cedar Hollow Wealth Technologies, Inc.", "Cedar Hollow", "Cedar Hollow Portfolio Accounting System", "portfolio accounting and client reporting for registered investment advisers"),
    ("Pinecrest Records Management, LLC", "Pinecrest", "Pinecrest eDiscovery Platform", "legal hold, collection, and review for eDiscovery"),
    ("Larkspur Energy Analytics, Inc.", "Larkspur", "Larkspur Grid Insights", "meter data management and energy analytics"),
]

# name, city line, signature style. Fictional CPA firms.
FIRMS = {
    "harrow": ("Harrow & Vance LLP", "Boston, Massachusetts"),
    "kestrel": ("Kestrel Assurance Partners, P.C.", "Denver, Colorado"),
    "marlowe": ("Marlowe Whitcombe CPAs, PLLC", "Austin, Texas"),
    "orchard": ("Orchard Lane Audit Group LLP", "Chicago, Illinois"),
    "stonebridge": ("Stonebridge Attest LLC", "Atlanta, Georgia"),
    "brightwater": ("Brightwater & Lowell, LLP", "Seattle, Washington"),
    "alderkane": ("Alder Kane Assurance Ltd", "Manchester, United Kingdom"),
}

PEOPLE = [
    ("Dana Whitfield", "Chief Executive Officer"), ("Marcus Oyelaran", "Chief Technology Officer"),
    ("Priya Raman", "Chief Information Security Officer"), ("Elena Kowalczyk", "Vice President of Engineering"),
    ("Tomás Aguilar", "Director of Compliance"), ("Hannah Brecht", "Chief Operating Officer"),
    ("Samuel Achterberg", "Head of Infrastructure"), ("Lucia Fenwick", "General Counsel"),
    ("Owen Mbeki", "Chief Financial Officer"), ("Ruth Calloway", "Director of IT"),
]

# Role -> (identity provider, ticketing, source control, SIEM, HR system, MDM, scanner, LMS)
TOOLSETS = [
    dict(idp="Okta", ticket="Jira", repo="GitHub", siem="Splunk", hr="BambooHR", mdm="Jamf", vuln="Tenable.io", lms="KnowBe4"),
    dict(idp="Azure Active Directory", ticket="ServiceNow", repo="Azure DevOps", siem="Microsoft Sentinel", hr="Workday", mdm="Microsoft Intune", vuln="Qualys", lms="Curricula"),
    dict(idp="Google Workspace", ticket="Linear", repo="GitLab", siem="Datadog Cloud SIEM", hr="Rippling", mdm="Kandji", vuln="Rapid7 InsightVM", lms="Vanta Training"),
    dict(idp="JumpCloud", ticket="Jira Service Management", repo="Bitbucket", siem="Sumo Logic", hr="Gusto", mdm="JumpCloud", vuln="Nessus", lms="KnowBe4"),
    dict(idp="OneLogin", ticket="Zendesk", repo="GitHub Enterprise", siem="Elastic Security", hr="HiBob", mdm="Workspace ONE", vuln="Snyk", lms="Hoxhunt"),
]

# Third-party tools listed in the system description that are NOT subservice organisations.
THIRD_PARTY_TOOLS = [
    ("Atlassian Corporation", "Jira", "Issue tracking and change tickets"),
    ("GitHub, Inc.", "GitHub", "Source code repository and pull request reviews"),
    ("Slack Technologies, LLC", "Slack", "Internal communication"),
    ("Datadog, Inc.", "Datadog", "Infrastructure and application monitoring"),
    ("PagerDuty, Inc.", "PagerDuty", "On-call scheduling and alert escalation"),
    ("Google LLC", "Google Workspace", "Email, calendar, and document collaboration"),
    ("CrowdStrike, Inc.", "CrowdStrike Falcon", "Endpoint detection and response"),
    ("Snyk Limited", "Snyk", "Dependency and container vulnerability scanning"),
    ("1Password (AgileBits Inc.)", "1Password", "Password and secrets management"),
    ("KnowBe4, Inc.", "KnowBe4", "Security awareness training and phishing simulation"),
    ("Zoom Video Communications, Inc.", "Zoom", "Video conferencing"),
    ("DocuSign, Inc.", "DocuSign", "Electronic signature of agreements"),
    ("BambooHR LLC", "BambooHR", "Human resources information system"),
    ("Splunk Inc.", "Splunk", "Log aggregation and security event management"),
    ("HashiCorp, Inc.", "Terraform Cloud", "Infrastructure as code"),
    ("Tenable, Inc.", "Tenable.io", "External vulnerability scanning"),
    ("Jamf Software, LLC", "Jamf Pro", "Mobile device management for macOS laptops"),
    ("Zendesk, Inc.", "Zendesk", "Customer support ticketing"),
    ("Sentry (Functional Software, Inc.)", "Sentry", "Application error tracking"),
    ("Cloudflare, Inc.", "Cloudflare", "DNS and content delivery"),
    ("Vanta Inc.", "Vanta", "Continuous compliance monitoring"),
    ("LastPass US LP", "LastPass", "Password management"),
    ("Intercom, Inc.", "Intercom", "In-app customer messaging"),
    ("Gusto, Inc.", "Gusto", "Payroll for employees"),
    ("Twilio Inc.", "SendGrid", "Transactional email delivery"),
    ("Auth0 (Okta, Inc.)", "Auth0", "Customer login for the application"),
    ("Figma, Inc.", "Figma", "Product design"),
    ("Miro", "Miro", "Whiteboarding"),
    ("Lucid Software Inc.", "Lucidchart", "Network and data flow diagrams"),
    ("Salesforce, Inc.", "Salesforce", "Customer relationship management"),
]

# Subservice organisations: legal name, aliases used after first mention,
# services, kind (drives which CSOCs apply).
SUBSERVICE_ORGS = [
    ("Amazon Web Services, Inc.", ["AWS"], "cloud infrastructure hosting, including compute, storage, and managed database services", "hosting"),
    ("Microsoft Corporation", ["Microsoft", "Microsoft Azure", "Azure"], "cloud hosting through the Microsoft Azure platform", "hosting"),
    ("Google LLC", ["Google Cloud Platform", "GCP", "Google Cloud"], "infrastructure-as-a-service hosting through Google Cloud Platform", "hosting"),
    ("Equinix, Inc.", ["Equinix"], "colocation data center space, power, and physical security", "datacenter"),
    ("Digital Realty Trust, Inc.", ["Digital Realty"], "colocation data center facilities", "datacenter"),
    ("Rackspace Technology, Inc.", ["Rackspace"], "managed hosting and infrastructure operations", "hosting"),
    ("MongoDB, Inc.", ["MongoDB Atlas", "MongoDB"], "managed database hosting through MongoDB Atlas", "database"),
    ("Snowflake Inc.", ["Snowflake"], "cloud data warehousing", "database"),
    ("Stripe, Inc.", ["Stripe"], "payment card processing", "payments"),
    ("Okta, Inc.", ["Okta"], "workforce identity and single sign-on services", "identity"),
    ("Iron Mountain Incorporated", ["Iron Mountain"], "off-site storage of backup media and records", "storage"),
    ("Heroku (Salesforce, Inc.)", ["Heroku"], "platform-as-a-service application hosting", "hosting"),
    ("Cobalt Print & Mail Services, LLC", ["Cobalt"], "printing and mailing of statements and checks", "print"),
    ("First Harbor Bank, N.A.", ["First Harbor"], "ACH origination and money movement", "bank"),
]

# CSOC texts by subservice kind: (text, criteria). "{sub}" is the short name.
CSOCS = {
    "hosting": [
        ("{sub} is responsible for restricting physical access to data center facilities, backup media, and other system components to authorized personnel.", ["CC6.4"]),
        ("{sub} is responsible for implementing environmental protections, including fire suppression, climate control, and redundant power, at its data centers.", ["A1.2"]),
        ("{sub} is responsible for securely decommissioning and destroying storage devices before they leave its facilities.", ["CC6.5"]),
        ("{sub} is responsible for the logical access controls over the underlying infrastructure and hypervisor that supports the hosted environment.", ["CC6.1", "CC6.2", "CC6.3"]),
        ("{sub} is responsible for monitoring the infrastructure it manages for security events and notifying customers of incidents that affect them.", ["CC7.2", "CC7.3"]),
        ("{sub} is responsible for maintaining the availability of its infrastructure services in accordance with its service level agreements.", ["A1.1", "A1.2"]),
        ("{sub} is responsible for change management over the infrastructure and managed services it provides.", ["CC8.1"]),
    ],
    "datacenter": [
        ("{sub} is responsible for controlling physical access to the colocation facility through badge readers, biometric scanners, and on-site security personnel.", ["CC6.4"]),
        ("{sub} is responsible for maintaining visitor logs and escorting visitors within the data center.", ["CC6.4"]),
        ("{sub} is responsible for maintaining uninterruptible power supplies, generators, and cooling systems and for testing them periodically.", ["A1.2"]),
        ("{sub} is responsible for monitoring environmental conditions and responding to alarms within the facility.", ["A1.2", "CC7.2"]),
    ],
    "database": [
        ("{sub} is responsible for encrypting customer data stored in the managed database service.", ["CC6.1", "CC6.7"]),
        ("{sub} is responsible for performing backups of the managed database clusters in accordance with the configured schedule.", ["A1.2"]),
        ("{sub} is responsible for patching the database engine and underlying operating system.", ["CC7.1", "CC8.1"]),
        ("{sub} is responsible for restricting its personnel's access to customer database clusters.", ["CC6.1", "CC6.3"]),
    ],
    "payments": [
        ("{sub} is responsible for protecting cardholder data in accordance with the Payment Card Industry Data Security Standard.", ["CC6.1", "CC6.7"]),
        ("{sub} is responsible for processing payment transactions completely and accurately.", ["PI1.3"]),
        ("{sub} is responsible for notifying customers of security incidents that affect payment data.", ["CC7.4"]),
    ],
    "identity": [
        ("{sub} is responsible for the availability of its authentication services.", ["A1.2"]),
        ("{sub} is responsible for enforcing the multi-factor authentication policies configured by customers.", ["CC6.1"]),
        ("{sub} is responsible for protecting the credential stores and signing keys used by its service.", ["CC6.1", "CC6.7"]),
    ],
    "storage": [
        ("{sub} is responsible for transporting backup media in locked containers and maintaining chain-of-custody records.", ["CC6.4", "CC6.7"]),
        ("{sub} is responsible for storing media in a secured facility with restricted access.", ["CC6.4"]),
        ("{sub} is responsible for returning or destroying media upon request and providing certificates of destruction.", ["CC6.5", "C1.2"]),
    ],
    "print": [
        ("{sub} is responsible for printing and mailing statements completely and accurately based on the files received.", ["PI1.4"]),
        ("{sub} is responsible for restricting access to client files received for printing.", ["CC6.1"]),
    ],
    "bank": [
        ("{sub} is responsible for processing ACH files completely and accurately and in a timely manner.", ["PI1.3"]),
        ("{sub} is responsible for restricting access to the online banking portal to authorized users designated by the service organization.", ["CC6.1"]),
    ],
}

# CUEC pool: text with {co} (company short name), {sys} (system), {subject}; related criteria.
CUECS = [
    ("{subject} are responsible for provisioning access to {sys} for their own users and for ensuring that access is approved by appropriate personnel.", ["CC6.2"]),
    ("{subject} are responsible for removing access to {sys} for their own users in a timely manner when those users are terminated or no longer require access.", ["CC6.2", "CC6.3"]),
    ("{subject} are responsible for periodically reviewing the access of their users to {sys} to determine that it remains appropriate.", ["CC6.3"]),
    ("{subject} are responsible for configuring single sign-on and multi-factor authentication for their users when these features are enabled in their subscription.", ["CC6.1"]),
    ("{subject} are responsible for maintaining the confidentiality of user IDs and passwords assigned to their personnel.", ["CC6.1"]),
    ("{subject} are responsible for ensuring that administrator roles within their tenant are assigned only to authorized individuals.", ["CC6.1", "CC6.3"]),
    ("{subject} are responsible for notifying {co} of any suspected or actual security incident involving their account, including compromised credentials.", ["CC7.3", "CC7.4"]),
    ("{subject} are responsible for reviewing the release notes and service notifications published by {co} and assessing their impact.", ["CC2.3"]),
    ("{subject} are responsible for the accuracy and completeness of the data they submit to {sys}.", ["PI1.2"]),
    ("{subject} are responsible for reviewing reports generated by {sys} for accuracy and completeness and for notifying {co} of discrepancies in a timely manner.", ["PI1.4"]),
    ("{subject} are responsible for maintaining their own backups of data exported from {sys} where required by their retention policies.", ["A1.2"]),
    ("{subject} are responsible for ensuring that their network connections to {sys} are secured and that their endpoints are protected against malware.", ["CC6.6", "CC6.8"]),
    ("{subject} are responsible for determining the classification of the data they upload and for not uploading data that exceeds the classification permitted by their agreement with {co}.", ["C1.1"]),
    ("{subject} are responsible for requesting the deletion of their data upon termination of their contract.", ["C1.2"]),
    ("{subject} are responsible for obtaining consent from their end users before submitting personal information to {sys}, where required by law.", ["P2.1", "P3.2"]),
    ("{subject} are responsible for responding to data subject requests they receive directly and for forwarding to {co} those that require its assistance.", ["P5.1", "P5.2"]),
    ("{subject} are responsible for configuring API keys with the least privilege necessary and for rotating those keys periodically.", ["CC6.1", "CC6.3"]),
    ("{subject} are responsible for restricting the IP address ranges permitted to access their tenant when that option is used.", ["CC6.6"]),
    ("{subject} are responsible for designating authorized contacts who may request changes to their account configuration and for keeping that list current.", ["CC2.3", "CC6.2"]),
    ("{subject} are responsible for testing configuration changes they make to workflows in {sys} before using them in production.", ["CC8.1"]),
    ("{subject} are responsible for monitoring the status page and notifications for outages that may affect their operations.", ["A1.1", "CC2.3"]),
    ("{subject} are responsible for encrypting files before transmitting them to {co} through channels other than the application.", ["CC6.7"]),
    ("{subject} are responsible for the security of the integrations they build with the {sys} API, including the storage of credentials in their own systems.", ["CC6.1", "CC6.7"]),
    ("{subject} are responsible for reviewing audit logs made available in the administrative console for unusual activity by their users.", ["CC7.2"]),
    ("{subject} are responsible for ensuring that their use of {sys} complies with the laws and regulations applicable to them.", ["CC2.3"]),
    ("{subject} are responsible for communicating to {co} any changes in their contacts for security and billing notifications.", ["CC2.3"]),
    ("{subject} are responsible for establishing their own business continuity plans that address the unavailability of {sys}.", ["A1.3", "CC9.1"]),
    ("{subject} are responsible for approving the retention settings configured for their tenant.", ["C1.2", "P4.2"]),
    ("{subject} are responsible for sharing files and reports exported from {sys} only with authorized recipients.", ["C1.1", "CC6.7"]),
    ("{subject} are responsible for ensuring that user accounts are assigned to named individuals and not shared.", ["CC6.1", "CC6.2"]),
    ("{subject} are responsible for installing the desktop agent only on devices they manage and for keeping the agent up to date.", ["CC6.8", "CC7.1"]),
    ("{subject} are responsible for validating the completeness of files they transmit, including the record counts included in the file trailer.", ["PI1.2"]),
    ("{subject} are responsible for reconciling the output they receive to their own records.", ["PI1.4", "PI1.5"]),
    ("{subject} are responsible for configuring password requirements for local accounts in accordance with their own policies when single sign-on is not used.", ["CC6.1"]),
    ("{subject} are responsible for training their users on the appropriate use of {sys}.", ["CC1.4", "CC2.2"]),
    ("{subject} are responsible for reviewing and approving the privacy notice presented to their end users through {sys}.", ["P1.1"]),
    ("{subject} are responsible for deciding which third-party integrations are enabled in their tenant and for assessing those third parties.", ["CC9.2"]),
    ("{subject} are responsible for ensuring the accuracy of personal information they maintain in {sys} and for correcting it when notified.", ["P7.1"]),
    ("{subject} are responsible for handling inquiries and complaints from their own customers regarding personal information.", ["P8.1"]),
    ("{subject} are responsible for physically securing the workstations from which their personnel access {sys}.", ["CC6.4"]),
    ("{subject} are responsible for disabling the user accounts of administrators who leave their organisation, including the transfer of ownership of shared resources.", ["CC6.2", "CC6.3"]),
    ("{subject} are responsible for setting session timeout values for their tenant that meet their security requirements.", ["CC6.1"]),
]

# SOC 1 CUECs: text and objective keys.
CUECS_SOC1 = [
    ("{subject} are responsible for submitting complete and accurate employee and payment data to {co} by the agreed cut-off times.", ["input"]),
    ("{subject} are responsible for reviewing the reports provided by {co} for completeness and accuracy and for reporting errors within five business days.", ["output"]),
    ("{subject} are responsible for approving rate, deduction, and tax setup information before processing begins.", ["setup", "processing"]),
    ("{subject} are responsible for notifying {co} of changes to authorized contacts and bank account information in writing.", ["setup"]),
    ("{subject} are responsible for restricting access to the client portal to authorized personnel and for removing access when personnel leave.", ["access"]),
    ("{subject} are responsible for reconciling the funding of their accounts to the amounts reported by {co}.", ["reconciliation"]),
    ("{subject} are responsible for transmitting files through the secure channels provided by {co}.", ["interfaces"]),
    ("{subject} are responsible for reviewing exception reports provided by {co} and for giving instructions on the resolution of exceptions.", ["processing"]),
    ("{subject} are responsible for maintaining source documents for the transactions they submit.", ["input"]),
    ("{subject} are responsible for determining that the output they receive is distributed only to authorized personnel within their organization.", ["output"]),
    ("{subject} are responsible for approving changes to the processing schedule they request.", ["operations"]),
    ("{subject} are responsible for reviewing the user listing of their portal users at least annually.", ["access"]),
    ("{subject} are responsible for their own general ledger postings of the amounts reported by {co}.", ["output", "reconciliation"]),
    ("{subject} are responsible for validating the rate tables configured for their plans at the start of each plan year.", ["processing"]),
]

CUEC_SUBJECTS = ["User entities", "Customers", "Clients", "User organizations", "Customer organizations"]

MGMT_RESPONSE_OPENERS = [
    "Management agrees with the finding.",
    "Management acknowledges the exception.",
    "{co} concurs with the auditor's observation.",
    "Management has investigated the matter.",
    "",
]
MGMT_RESPONSE_BODIES = [
    "The {pop} identified were the result of a manual step that was missed during a period of staff turnover. The process has since been automated in {tool} and the Compliance team reviews a weekly report of open items.",
    "Upon identification, the issue was corrected and a review determined that no unauthorized activity occurred as a result. Additional training was delivered to the responsible team in the following month.",
    "The control owner has been reminded of the required timeline, and a recurring calendar reminder and escalation to the Director of Compliance have been implemented.",
    "{co} implemented a compensating detective control in which the Security team reviews a daily report from {tool}; no instances of misuse were identified in the logs reviewed for the affected period.",
    "The configuration was remediated immediately after it was identified. Management has added an automated check to its compliance monitoring platform to detect any recurrence.",
    "The root cause was a gap in the handoff between People Operations and IT. The offboarding checklist has been revised and is now enforced through a workflow in {tool}.",
    "Management believes the risk was mitigated because the affected accounts had no access to customer data. The process documentation has been updated and the responsible personnel retrained.",
]
MGMT_RESPONSE_CLOSERS = [
    "The corrective action was completed prior to the date of this report.",
    "Management expects the remediation to be fully effective for the next examination period.",
    "",
    "",
]

PASS_RESULTS = {
    "no_exceptions": ["No exceptions noted."],
    "no_deviations": ["No deviations noted."],
    "no_relevant": ["No relevant exceptions noted."],
    "mixed": ["No exceptions noted.", "No exceptions were noted.", "No exceptions noted"],
    "uk": ["No exceptions noted.", "No exceptions identified."],
}

NON_OCCURRENCE = [
    "The circumstances that warrant the operation of this control did not occur during the period; therefore, no testing of operating effectiveness was performed.",
    "No {event} occurred during the period; therefore no testing was performed.",
    "Not tested. There were no {event} during the review period.",
    "There were no {event} during the period. As such, the operating effectiveness of this control could not be tested.",
    "The control did not operate during the period because no {event} occurred. No testing of operating effectiveness was performed.",
    "Inquiry indicated that no {event} occurred during the period, which was corroborated by inspection of system-generated listings. Therefore, operating effectiveness was not tested.",
]

# Exception description frames. {k}, {n} numbers; {pop}; {fail}.
SAMPLE_FRAMES = [
    "For {k} of {n} {pop} sampled, {fail}.",
    "The service auditor noted that for {k} of the {n} {pop} selected for testing, {fail}.",
    "Of the {n} {pop} sampled, {k} were identified for which {fail}.",
    "Testing of a sample of {n} {pop} identified {k} instance(s) in which {fail}.",
    "For {k} of {n} sampled {pop}, {fail}.",
    "Inspection of a sample of {n} {pop} revealed that for {k}, {fail}.",
]
CONFIG_FRAMES = [
    "Inspection of {evidence} revealed that {fail}.",
    "The service auditor noted that {fail}.",
    "Based on inspection of {evidence}, {fail}.",
    "{Fail}.",
]

# A second paragraph some auditors add to an exception (part of the description).
EXCEPTION_FOLLOW_UPS = [
    "The service auditor performed additional procedures and noted no evidence that the condition was exploited.",
    "Management identified the condition during its own monitoring after the end of the period.",
    "The condition was remediated prior to the end of the examination period.",
    "Additional inquiry indicated that the responsible employee was on extended leave during the period.",
]
# Passing results with a remark; they contain "exception" but report none.
PASS_REMARKS = [
    " The control was redesigned during the period; testing covered both the original and the redesigned control.",
    " A sample of 25 was selected; no exception-based adjustments to the sample were required.",
    " The control operated as described.",
]

NUM_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
