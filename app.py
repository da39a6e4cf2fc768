"""Entry point the Flask CLI and gunicorn find: `flask --app app ...`, `gunicorn app:app`."""
from vendorrisk import create_app

app = create_app()
