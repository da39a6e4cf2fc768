"""Exports: the registers auditors ask for, as CSV or XLSX downloads."""
from __future__ import annotations

from flask import Blueprint, Response, render_template

from models.base import utcnow
from vendorrisk.auth import require
from vendorrisk.db import get_session
from vendorrisk.permissions import Action
from vendorrisk.services import exports, registers

bp = Blueprint("exports", __name__, url_prefix="/exports")


def download(name: str, fmt: str) -> Response:
    """The register as a file download (also what the API's export returns)."""
    register = registers.REGISTERS[name]
    body = exports.render(register.build(get_session()), fmt)
    filename = registers.export_filename(register, fmt, utcnow().date())
    return Response(body, mimetype=exports.MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/")
@require(Action.VIEW)
def index():
    return render_template("exports/index.html", registers=registers.REGISTERS.values())


@bp.route(f"/<any({','.join(registers.REGISTERS)}):register>.<any(csv,xlsx):fmt>")
@require(Action.VIEW)
def register_file(register: str, fmt: str):
    return download(register, fmt)
