"""Infrastructure: database, upload storage, mail, the job queue, the scheduler,
the clock and PDF page rendering. Nothing here knows a request or a page."""
