"""Benchmark: the daily review sweep over 10,000 vendors.

Seeds a scratch database (SQLite file, and PostgreSQL when --postgres names a
server: a throwaway database is created there and dropped afterwards) with
mixed tiers, SOC reports, past and open reviews, then times
run_daily_sweep twice on the same day (the second run must send nothing)
and once on the next day (a typical day: only new thresholds crossed).

    .venv/bin/python bench/bench_sweep.py                       # SQLite only
    .venv/bin/python bench/bench_sweep.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, func, insert, make_url, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models import (  # noqa: E402
    Document,
    DocumentKind,
    JobStatus,
    LifecycleStatus,
    Notification,
    Report,
    Review,
    ReviewReminder,
    ReviewStatus,
    Role,
    Tier,
    User,
    Vendor,
)
from vendorrisk import create_app  # noqa: E402
from vendorrisk.infra.db import session_factory, upgrade_database  # noqa: E402
from vendorrisk.services.sweep import run_daily_sweep  # noqa: E402

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 6, tzinfo=timezone.utc)


def seed(session, vendors: int, rng: random.Random) -> dict[str, int]:
    users = [{"email": f"owner{n}@bench.test", "name": f"Owner {n}", "role": Role.SECURITY, "password_hash": "x",
              "active": True, "created_at": NOW} for n in range(50)]
    users += [{"email": f"compliance{n}@bench.test", "name": f"Compliance {n}", "role": Role.COMPLIANCE,
               "password_hash": "x", "active": True, "created_at": NOW} for n in range(3)]
    session.execute(insert(User), users)
    owner_ids = list(session.scalars(select(User.id).where(User.role == Role.SECURITY)))
    tiers = rng.choices(list(Tier), weights=[5, 15, 40, 40], k=vendors)
    statuses = rng.choices([LifecycleStatus.ACTIVE, LifecycleStatus.ONBOARDING, LifecycleStatus.TERMINATED],
                           weights=[90, 5, 5], k=vendors)
    session.execute(insert(Vendor), [
        {"name": f"Bench Vendor {n:05d}", "tier": tiers[n], "status": statuses[n], "has_production_access": False,
         "business_owner_id": rng.choice(owner_ids) if rng.random() < 0.9 else None,
         "created_at": NOW, "updated_at": NOW}
        for n in range(vendors)
    ])
    vendor_ids = list(session.scalars(select(Vendor.id).order_by(Vendor.id)))
    with_report = [v for v in vendor_ids if rng.random() < 0.7]
    session.execute(insert(Document), [
        {"vendor_id": v, "kind": DocumentKind.SOC_REPORT, "sha256": uuid.uuid4().hex * 2, "filename": "soc2.pdf",
         "size_bytes": 1_000_000, "uploaded_at": NOW} for v in with_report
    ])
    documents = dict(session.execute(select(Document.vendor_id, Document.id)).all())
    reports = []
    for v in with_report:
        end = TODAY - timedelta(days=rng.randint(0, 600))
        reports.append({"vendor_id": v, "document_id": documents[v], "job_status": JobStatus.DONE,
                        "extraction_status": "ok", "framework": "soc2", "report_type": "type2",
                        "period_start": end - timedelta(days=364), "period_end": end, "queued_at": NOW,
                        "progress_page": 0, "trust_services_criteria": []})
    session.execute(insert(Report), reports)
    past, open_reviews = [], []
    for v in vendor_ids:
        if rng.random() < 0.6:
            done = TODAY - timedelta(days=rng.randint(30, 1100))
            past.append({"vendor_id": v, "due_date": done, "status": ReviewStatus.COMPLETED, "outcome": "approved",
                         "completed_at": datetime.combine(done, datetime.min.time(), timezone.utc), "concluded_on": done,
                         "created_at": NOW,
                         "owner_id": rng.choice(owner_ids)})
            if rng.random() < 0.8:
                open_reviews.append({"vendor_id": v, "due_date": TODAY + timedelta(days=rng.randint(-90, 400)),
                                     "status": ReviewStatus.SCHEDULED, "created_at": NOW,
                                     "owner_id": rng.choice(owner_ids) if rng.random() < 0.9 else None})
    session.execute(insert(Review), past)
    session.execute(insert(Review), open_reviews)
    session.commit()
    return {"vendors": vendors, "reports": len(reports), "past_reviews": len(past), "open_reviews": len(open_reviews)}


def bench(url: str, vendors: int, label: str) -> None:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    upgrade_database(app)
    make_session = session_factory(app)
    rng = random.Random(5)
    with make_session() as session:
        started = time.perf_counter()
        counts = seed(session, vendors, rng)
        seeded = time.perf_counter() - started
    print(f"[{label}] seeded {counts} in {seeded:.1f} s")
    for run, day in ((1, TODAY), (2, TODAY), (3, TODAY + timedelta(days=1))):
        with make_session() as session:
            started = time.perf_counter()
            result = run_daily_sweep(session, day, email=True)
            session.commit()
            elapsed = time.perf_counter() - started
        print(f"[{label}] sweep {run} ({day}): {elapsed:.2f} s — {result.reviews_created} reviews created, "
              f"{result.reviews_rescheduled} rescheduled, {result.reminders_sent} reminders, "
              f"{result.escalations_sent} escalations, {result.notifications} notifications")
        if run == 2:
            assert not result.sent_anything and result.reviews_created == 0, "the second sweep must send nothing"
    with make_session() as session:
        print(f"[{label}] totals: {session.scalar(select(func.count()).select_from(ReviewReminder))} reminder records, "
              f"{session.scalar(select(func.count()).select_from(Notification))} notifications")
    session_factory(app).kw["bind"].dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vendors", type=int, default=10_000)
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a scratch database is made there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        bench(f"sqlite:///{Path(scratch) / 'bench.sqlite3'}", args.vendors, "sqlite")
    if args.postgres:
        base = make_url(args.postgres)
        name = f"vr_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            bench(base.set(database=name).render_as_string(hide_password=False), args.vendors, "postgresql")
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
