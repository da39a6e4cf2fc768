"""The Jinja templates. A package only so that the wheel carries them (see
pyproject.toml); vendorrisk.create_app finds them wherever it is installed."""
