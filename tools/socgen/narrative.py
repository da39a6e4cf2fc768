"""Narrative paragraphs of the system description and the opinion.

The prose deliberately contains the words that trip naive extractors:
"exception" in ordinary sentences (exception-based monitoring, "with the
exception of", policy exceptions) and "complementary" in the opinion.
"""
from __future__ import annotations

import random

OVERVIEW = [
    "{legal} (\u201c{co}\u201d or \u201cthe Company\u201d) was founded in {founded} and is headquartered in {hq}. {co} provides {summary}. The Company serves customers in North America and Europe through a subscription model.",
    "{co} was incorporated in {founded} and employs approximately {staff} people across offices in {hq} and remote locations. The Company's principal product, {sys}, provides {summary}.",
]
SERVICES = [
    "{sys} is delivered as a multi-tenant software-as-a-service application. Customers access the application through a web browser and a documented REST API. Customer data is stored in logically separated tenants within the production environment.",
    "The services in scope of this report consist of the hosting, operation, and support of {sys}. Professional services, such as implementation consulting and custom integrations, are not included in the scope of this description.",
    "With the exception of the marketing website and the public documentation portal, which are hosted separately and contain no customer data, all components of {sys} are within the boundaries of the system described herein.",
]
COMMITMENTS = [
    "{co} designs its processes and procedures to meet its objectives for {sys}. Those objectives are based on the service commitments that {co} makes to customers, the laws and regulations that govern the provision of its services, and the financial, operational, and compliance requirements that {co} has established for the services.",
    "Security commitments to customers are documented and communicated in the Master Subscription Agreement, the Data Processing Addendum, and the description of the service offering provided online. They include the use of encryption to protect customer data at rest and in transit, role-based access to production systems, and notification of security incidents within 72 hours.",
    "{co} establishes operational requirements that support the achievement of its commitments, relevant laws and regulations, and other system requirements. Such requirements are communicated in {co}'s system policies and procedures, system design documentation, and contracts with customers.",
]
INFRA = [
    "The production environment is hosted in {cloud} in two regions, with the application tier deployed in containers managed by Kubernetes and the data tier using managed PostgreSQL databases. Network access is controlled with virtual private clouds, security groups, and a web application firewall.",
    "Corporate infrastructure consists of company-issued laptops managed with {mdm}, a cloud identity provider ({idp}), and software-as-a-service productivity tools. {co} does not operate a corporate data center.",
]
SOFTWARE = [
    "{co} uses a number of third-party tools to support the operation of the system. These tools are used by {co} personnel and are governed by {co}'s vendor management process; they are not subservice organizations, and their controls are not relevant to the criteria in the scope of this report.",
    "Application code is maintained in {repo}, built and tested by the continuous integration pipeline, and deployed through an automated release process. Infrastructure is defined as code and reviewed in the same way as application changes.",
]
PEOPLE = [
    "{co}'s organizational structure provides the framework within which its activities are planned, executed, controlled, and monitored. The Chief Executive Officer is supported by leaders of Engineering, Security, Customer Success, People Operations, and Finance.",
    "The Security team is led by the {ciso_title} and is responsible for the information security program, including policy management, vulnerability management, security monitoring, and incident response. The Engineering team is responsible for the development, testing, and deployment of changes to {sys}.",
]
DATA = [
    "Data within the system includes customer-submitted records, user account information, application logs, and system configuration data. Customer data is classified as confidential under the Data Classification Policy.",
    "Customer data is encrypted at rest and in transit. Backups are encrypted and retained according to the Data Retention Policy. With the exception of anonymized usage metrics, customer data is not used for any purpose other than providing the service.",
]
PROCESSES = [
    "Access to production systems is granted on the principle of least privilege. Requests for access are submitted through {ticket}, approved by the system owner, and provisioned by the Infrastructure team. Exceptions to the Access Control Policy must be documented in the policy exception register, approved by the {ciso_title}, and reviewed every six months.",
    "{co} practices exception-based monitoring of its infrastructure: dashboards in {siem} are reviewed continuously, and engineers are paged only when a metric deviates from its expected baseline. Unhandled application exceptions are captured by the error-tracking tool and triaged by the on-call engineer.",
    "Changes to {sys} follow the Software Development Life Cycle policy. Each change is tracked in {ticket}, developed in a feature branch, peer reviewed through a pull request in {repo}, tested automatically, and deployed through the pipeline. Emergency changes follow an expedited process and are reviewed after deployment.",
    "Incidents are managed according to the Incident Response Plan, which defines roles, severity levels, communication requirements, and post-incident review. The plan is tested annually through a tabletop exercise.",
    "Vendors are assessed before onboarding and annually thereafter based on the sensitivity of the data they access. The assessment includes review of independent audit reports, such as SOC 2 reports, where available.",
]
CONTROL_ENV = [
    "The control environment sets the tone of the organization and is the foundation for all other components of internal control. {co}'s management demonstrates a commitment to integrity and ethical values through its Code of Business Conduct and Ethics, which all personnel acknowledge upon hire.",
    "The Board of Directors meets quarterly and includes independent members with experience in technology and risk. Management reports to the Board on security, compliance, and significant risks.",
    "{co}'s risk assessment process identifies risks to the achievement of its objectives, analyzes their likelihood and impact, and determines responses. The process considers fraud, changes in the business and regulatory environment, and risks arising from vendors.",
    "Information and communication: {co} communicates policies and responsibilities to personnel through the intranet, onboarding, and annual training, and communicates with customers through contracts, the status page, and the support portal.",
    "Monitoring activities include continuous control monitoring through an automated compliance platform, an annual penetration test, and periodic internal reviews. Deficiencies are tracked to remediation and reported to management.",
]
CHANGES = [
    "There were no significant changes to the system during the period.",
    "During the period, {co} migrated its identity provider to {idp}. The migration was completed without interruption to the service.",
    "During the period, {co} introduced automated deprovisioning between its human resources system and its identity provider.",
]
UNUSED_CRITERIA = [
    "The {cat} category was not included in the scope of this examination.",
]


def pick(rng: random.Random, pool: list[str], k: int) -> list[str]:
    return rng.sample(pool, min(k, len(pool)))
