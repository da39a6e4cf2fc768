"""gunicorn's settings for `gunicorn app:app` started in this folder (gunicorn
reads this file from the folder it starts in)."""


def post_worker_init(worker) -> None:
    # Each worker exports in a child process of its own (vendorrisk/infra/jobs.py):
    # started with the worker, not by the first user who asks for an export.
    from vendorrisk.infra import jobs
    from vendorrisk.web.pages import compile_templates

    jobs.start_export_process(worker.wsgi)
    compile_templates(worker.wsgi)  # before the first request, not during it
