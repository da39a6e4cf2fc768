"""The committed corpus: which reports exist and what each one exercises.

Profiles are explicit so that every feature of SOC2-REPORTS.md is covered by
at least one report; the remaining detail (which controls fail, wording, the
criteria print style, bullet characters, ...) comes from each profile's seed.
"""
from __future__ import annotations

from .build import Profile

AWS, AZURE, GCP = "Amazon Web Services, Inc.", "Microsoft Corporation", "Google LLC"
EQX, DLR, RACK = "Equinix, Inc.", "Digital Realty Trust, Inc.", "Rackspace Technology, Inc."
MONGO, SNOW, STRIPE, OKTA = "MongoDB, Inc.", "Snowflake Inc.", "Stripe, Inc.", "Okta, Inc."
IRON, HEROKU, PRINT, BANK = "Iron Mountain Incorporated", "Heroku (Salesforce, Inc.)", "Cobalt Print & Mail Services, LLC", "First Harbor Bank, N.A."
CO, INC = "carve-out", "inclusive"
SEC, AV, CONF, PI, PRIV = "security", "availability", "confidentiality", "processing_integrity", "privacy"

PROFILES: list[Profile] = [
    Profile("r01-northwind", 101, "harrow", "Northwind", categories=(SEC, AV), n_cuecs=12, cuec_format="bullets",
            subs=((AWS, CO),), n_exceptions=2, period=("2024-05-01", "2025-04-30")),
    Profile("r02-bluefin", 102, "kestrel", "Bluefin", opinion="qualified", categories=(SEC, CONF), n_cuecs=18,
            cuec_format="table", subs=((AZURE, CO),), n_exceptions=4, period=("2025-01-01", "2025-12-31")),
    Profile("r03-quillstone", 103, "marlowe", "Quillstone", type="Type 1", categories=(SEC,), n_cuecs=8,
            cuec_format="numbered", subs=((GCP, CO), (OKTA, INC)), period=("2025-03-31", "2025-03-31")),
    Profile("r04-copperline", 104, "orchard", "Copperline", categories=(SEC, AV, PI), n_cuecs=25, cuec_format="grouped",
            subs=((AWS, CO), (MONGO, CO)), n_exceptions=3, period=("2024-10-01", "2025-09-30")),
    Profile("r05-tessellate", 105, "stonebridge", "Tessellate", framework="SOC 1", n_cuecs=10, cuec_format="numbered",
            subs=((IRON, CO), (BANK, CO)), n_exceptions=2, watermark="CONFIDENTIAL", period=("2024-07-01", "2025-06-30")),
    Profile("r06-ironbark", 106, "brightwater", "Ironbark", opinion="adverse", categories=(SEC,), n_cuecs=15,
            cuec_format="bullets", subs=((HEROKU, CO),), n_exceptions=8, period=("2025-01-01", "2025-06-30")),
    Profile("r07-lumenfield", 107, "alderkane", "Lumenfield", categories=(SEC, AV, CONF, PI, PRIV), n_cuecs=40,
            cuec_format="table", subs=((AWS, CO),), n_exceptions=1, verbosity=3, period=("2025-01-01", "2025-12-31")),
    Profile("r08-harborview-soc3", 108, "harrow", "Harborview", framework="SOC 3", type=None, categories=(SEC, AV),
            n_cuecs=5, cuec_format="bullets", subs=((AWS, CO),), period=("2024-04-01", "2025-03-31"), verbosity=1),
    Profile("r09-verity", 109, "kestrel", "Verity", opinion="disclaimer", categories=(SEC,), n_cuecs=10,
            cuec_format="table", subs=((GCP, CO),), n_exceptions=2, period=("2024-11-01", "2025-10-31")),
    Profile("r10-palisade", 110, "marlowe", "Palisade", categories=(SEC, CONF, PRIV), n_cuecs=0, cuec_format="none",
            subs=((RACK, INC),), n_exceptions=5, period=("2025-02-01", "2026-01-31")),
    Profile("r11-meridian", 111, "orchard", "Meridian", framework="SOC 1", type="Type 1", n_cuecs=14, cuec_format="table",
            subs=((PRINT, CO),), period=("2025-06-30", "2025-06-30")),
    Profile("r12-sparrowhawk", 112, "stonebridge", "Sparrowhawk", opinion="qualified", categories=(SEC, AV), n_cuecs=20,
            cuec_format="grouped", subs=((EQX, CO), (SNOW, CO)), n_exceptions=3, period=("2024-09-01", "2025-08-31")),
    Profile("r13-foxglove", 113, "brightwater", "Foxglove", type="Type 1", categories=(SEC, CONF), n_cuecs=6,
            cuec_format="bullets", subs=(), period=("2025-09-30", "2025-09-30")),
    Profile("r14-oakhurst", 114, "alderkane", "Oakhurst", framework="SOC 1", opinion="qualified", n_cuecs=12,
            cuec_format="grouped", subs=((MONGO, CO),), n_exceptions=3, period=("2024-04-01", "2025-03-31")),
    Profile("r15-granitepeak", 115, "harrow", "Granite Peak", categories=(SEC,), n_cuecs=30, cuec_format="numbered",
            subs=((AWS, CO), (STRIPE, CO), (OKTA, CO)), n_exceptions=0, non_occurrence=0.9, period=("2025-01-01", "2025-12-31")),
    Profile("r16-kineticsignal", 116, "kestrel", "Kinetic Signal", categories=(SEC, PI), n_cuecs=16, cuec_format="table",
            subs=((AZURE, INC), (DLR, CO)), n_exceptions=6, period=("2024-08-01", "2025-01-31")),
    Profile("r17-riverbend-soc3", 117, "marlowe", "Riverbend", framework="SOC 3", type=None, categories=(SEC, AV, CONF),
            n_cuecs=0, cuec_format="none", subs=((GCP, CO),), period=("2025-01-01", "2025-12-31"), verbosity=1),
    Profile("r18-saltmarsh", 118, "orchard", "Saltmarsh", opinion="qualified", categories=(SEC, AV, CONF, PI, PRIV),
            n_cuecs=35, cuec_format="grouped", subs=((AWS, CO), (MONGO, INC)), n_exceptions=5, verbosity=3,
            period=("2024-06-01", "2025-05-31")),
    Profile("r19-trellis", 119, "stonebridge", "Trellis", categories=(SEC,), n_cuecs=22, cuec_format="table",
            subs=((OKTA, INC), (AWS, CO)), n_exceptions=1, period=("2025-04-01", "2025-09-30")),
    Profile("r20-westgate", 120, "brightwater", "Westgate", framework="SOC 1", opinion="adverse", n_cuecs=8,
            cuec_format="numbered", subs=((IRON, CO),), n_exceptions=7, period=("2024-10-01", "2025-09-30")),
    Profile("r21-ambergris", 121, "alderkane", "Ambergris", type="Type 1", opinion="qualified", categories=(SEC, AV),
            n_cuecs=9, cuec_format="bullets", subs=((AZURE, CO),), period=("2025-12-31", "2025-12-31")),
    Profile("r22-cedarhollow", 122, "harrow", "Cedar Hollow", categories=(SEC, AV, CONF), n_cuecs=28, cuec_format="table",
            subs=((AWS, CO), (SNOW, CO), (STRIPE, CO)), n_exceptions=4, verbosity=3, period=("2024-07-01", "2025-06-30"),
            large_products=("Wealth Platform", "Client Portal")),
    Profile("r23-pinecrest", 123, "kestrel", "Pinecrest", framework="SOC 1", n_cuecs=14, cuec_format="table",
            subs=((BANK, CO),), n_exceptions=2, period=("2025-01-01", "2025-12-31")),
    Profile("r24-larkspur", 124, "marlowe", "Larkspur", categories=(SEC, PRIV), n_cuecs=18, cuec_format="grouped",
            subs=((GCP, CO),), n_exceptions=2, verbosity=3, period=("2024-12-01", "2025-11-30"),
            large_products=("Grid Insights", "Meter Data Hub")),
]
