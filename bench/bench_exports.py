"""Benchmark: each register export, and its peak memory, at 10,000 vendors.

Seeds a database (SQLite file, or PostgreSQL with --postgres: a scratch
database is created there and dropped afterwards) the size of the issue's
measurement: 10,000 vendors, 1,000 of them with a current SOC report of ~99
items (10 exceptions, 40 CUECs, 4 subservice organizations, 45 CSOCs) whose
stored extraction document is --extraction-kb large (the issue measured 793 MB
for 1,000 reports), and one review per vendor. Then it makes each export in a
fresh process, as a worker would, and prints the wall time and the process's
peak resident memory (ru_maxrss) before and during the export.

With this checkout's code the export runs as the background job
(infra.jobs.run_export, the file written to the export folder); with code
that predates export jobs (--code pointing at an older checkout) it runs the
old way, the register built and rendered in memory as the request did.

    .venv/bin/python bench/bench_exports.py                        # SQLite
    .venv/bin/python bench/bench_exports.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/bench_exports.py --code /path/to/older/checkout   # the "before" figures
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPORTS = [("cuecs", "xlsx"), ("vendors", "xlsx"), ("exceptions", "xlsx"), ("reviews", "xlsx"), ("cuecs", "csv"),
           ("vendors", "csv")]
NOW = datetime(2026, 11, 28, 6, tzinfo=timezone.utc)
TODAY = NOW.date()
ITEM_MIX = {"exception": 10, "cuec": 40, "subservice_organization": 4, "csoc": 45}


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def cpu_seconds() -> float:
    """This process's CPU time: on a shared, loaded machine the wall time
    mostly measures the wait for a core."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def seed(url: str, vendors: int, reports: int, extraction_kb: int) -> dict[str, int]:
    from sqlalchemy import insert, select

    from models import (Document, DocumentKind, ItemKind, JobStatus, LifecycleStatus, Report, ReportItem, Review,
                        ReviewStatus, Role, Tier, User, Vendor)
    from vendorrisk import create_app
    from vendorrisk.infra.db import session_factory, upgrade_database

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    upgrade_database(app)
    rng = random.Random(14)
    with session_factory(app)() as session:
        session.execute(insert(User), [
            {"email": f"owner{n}@bench.test", "name": f"Owner {n}", "role": Role.ADMIN if n == 0 else Role.SECURITY,
             "password_hash": "x", "active": True, "created_at": NOW} for n in range(50)])
        owner_ids = list(session.scalars(select(User.id)))
        session.execute(insert(Vendor), [
            {"name": f"Bench Vendor {n:05d}", "tier": rng.choice(list(Tier)), "status": LifecycleStatus.ACTIVE,
             "has_production_access": False, "business_owner_id": rng.choice(owner_ids),
             "services": "Hosting and support of the customer portal", "created_at": NOW, "updated_at": NOW}
            for n in range(vendors)])
        vendor_ids = list(session.scalars(select(Vendor.id).order_by(Vendor.id)))
        session.execute(insert(Review), [
            {"vendor_id": v, "due_date": TODAY + timedelta(days=rng.randint(-90, 400)),
             "status": ReviewStatus.SCHEDULED, "owner_id": rng.choice(owner_ids), "created_at": NOW}
            for v in vendor_ids])
        with_report = vendor_ids[:reports]
        session.execute(insert(Document), [
            {"vendor_id": v, "kind": DocumentKind.SOC_REPORT, "sha256": uuid.uuid4().hex * 2,
             "filename": f"soc2-{v}.pdf", "size_bytes": 2_000_000, "uploaded_at": NOW} for v in with_report])
        documents = dict(session.execute(select(Document.vendor_id, Document.id)).all())
        # The extraction document's bulk is its text with geometry; padding
        # stands in for it, so decoding it costs what the real one does.
        padding = [{"page": p, "text": "x" * 1000} for p in range(extraction_kb)]
        item_rows = 0
        for start in range(0, len(with_report), 100):
            batch = with_report[start:start + 100]
            session.execute(insert(Report), [
                {"vendor_id": v, "document_id": documents[v], "job_status": JobStatus.DONE,
                 "extraction_status": "ok", "framework": "soc2", "report_type": "type2",
                 "period_start": TODAY - timedelta(days=400), "period_end": TODAY - timedelta(days=35),
                 "queued_at": NOW, "progress_page": 0, "trust_services_criteria": ["security"],
                 "extraction": {"status": "ok", "pages": padding}} for v in batch])
            report_ids = dict(session.execute(
                select(Report.vendor_id, Report.id).where(Report.vendor_id.in_(batch))).all())
            items = []
            for v in batch:
                position = 0
                for kind, count in ITEM_MIX.items():
                    for n in range(count):
                        text = f"User entities are responsible for control {n} of {kind} at vendor {v}."
                        items.append({"report_id": report_ids[v], "kind": ItemKind(kind), "origin": "extracted",
                                      "position": position, "key": text[:300], "found": True, "not_an_item": False,
                                      "text": text, "criteria": ["CC6.1"], "page": 10 + n, "control_id": f"CC{n}",
                                      "original": {"text": text, "page": 10 + n}, "confidence": 0.9,
                                      "triage_status": "new" if kind == "exception" else None,
                                      "created_at": NOW, "updated_at": NOW})
                        position += 1
            session.execute(insert(ReportItem), items)
            item_rows += len(items)
            session.commit()
    session_factory(app).kw["bind"].dispose()
    return {"vendors": vendors, "reports": reports, "items": item_rows, "extraction_kb_each": extraction_kb}


def run_one(url: str, upload_dir: str, register: str, fmt: str) -> dict:
    """One export in this (fresh) process; called through a subprocess."""
    from vendorrisk import create_app
    from vendorrisk.infra import clock, jobs
    from vendorrisk.infra.db import session_factory
    from vendorrisk.services import exports, registers

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True, "UPLOAD_DIR": upload_dir})
    session = session_factory(app)()
    from models import User

    user = session.query(User).order_by(User.id).first()
    baseline = peak_mib()
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    if hasattr(jobs, "run_export"):
        from models import ExportJob
        from vendorrisk.services import export_jobs

        job = export_jobs.request_register(session, register, fmt, user=user, today=TODAY)
        session.commit()
        jobs.run_export(app, job.id)
        session.expire_all()
        job = session.get(ExportJob, job.id)
        assert job.status.value == "done", job.error
        rows, size, how = job.rows_done, job.size_bytes, "background job"
    else:
        with app.app_context():
            body = exports.render(registers.REGISTERS[register].build(session, clock.today()), fmt)
        rows, size, how = None, len(body), "in the request (old code)"
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    session.close()
    return {"register": register, "fmt": fmt, "how": how, "seconds": round(elapsed, 2), "cpu": round(cpu, 2),
            "rows": rows,
            "bytes": size, "baseline_mib": round(baseline), "peak_mib": round(peak_mib())}


def bench(url: str, args, label: str) -> list[dict]:
    started = time.perf_counter()
    counts = seed(url, args.vendors, args.reports, args.extraction_kb)
    print(f"[{label}] seeded {counts} in {time.perf_counter() - started:.0f} s", flush=True)
    results = []
    with tempfile.TemporaryDirectory() as uploads:
        for register, fmt in (tuple(name.split(".")) for name in args.exports.split(",")):
            output = subprocess.run(
                [sys.executable, str(HERE / "bench_exports.py"), "--one", register, fmt, "--url", url, "--uploads", uploads,
                 "--code", args.code], check=True, capture_output=True, text=True, cwd=args.code).stdout
            result = json.loads(output.strip().splitlines()[-1])
            results.append(result)
            print(f"[{label}] {register}.{fmt}: {result['seconds']:.2f} s ({result['cpu']:.2f} s CPU), "
                  f"peak {result['peak_mib']} MiB "
                  f"(process before the export: {result['baseline_mib']} MiB), {result['rows']} rows, "
                  f"{result['bytes'] / 1e6:.1f} MB — {result['how']}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vendors", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=1_000, help="vendors with a current report of ~99 items")
    parser.add_argument("--extraction-kb", type=int, default=800, help="size of each stored extraction document")
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a scratch database is made there")
    parser.add_argument("--code", default=str(HERE.parent), help="the checkout whose code makes the exports")
    parser.add_argument("--exports", default=",".join(f"{r}.{f}" for r, f in EXPORTS),
                        help="which, comma-separated (default: all)")
    parser.add_argument("--one", nargs=2, metavar=("REGISTER", "FORMAT"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--uploads", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.code = str(Path(args.code).resolve())
    sys.path.insert(0, args.code if args.one else str(HERE.parent))
    if args.one:
        print(json.dumps(run_one(args.url, args.uploads, *args.one)))
        return
    if args.postgres:
        from sqlalchemy import create_engine, make_url, text

        base = make_url(args.postgres)
        name = f"vr_bench_exports_{uuid.uuid4().hex[:8]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            bench(base.set(database=name).render_as_string(hide_password=False), args, "postgresql")
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        return
    with tempfile.TemporaryDirectory() as scratch:
        bench(f"sqlite:///{Path(scratch) / 'bench.sqlite3'}", args, "sqlite")


if __name__ == "__main__":
    main()
