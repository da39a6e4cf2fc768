"""Business logic. Functions take a SQLAlchemy Session and never commit."""
