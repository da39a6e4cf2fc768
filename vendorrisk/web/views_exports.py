"""Exports: the registers auditors ask for, as CSV or XLSX downloads."""
from __future__ import annotations

from flask import Blueprint

from vendorrisk.infra.documents import register_download
from vendorrisk.services import registers
from vendorrisk.services.permissions import Action
from vendorrisk.web.auth import require
from vendorrisk.web.pages import render_page

bp = Blueprint("exports", __name__, url_prefix="/exports")


@bp.route("/")
@require(Action.VIEW)
def index():
    return render_page("exports/index.html", registers=registers.REGISTERS.values())


@bp.route(f"/<any({','.join(registers.REGISTERS)}):register>.<any(csv,xlsx):fmt>")
@require(Action.VIEW)
def register_file(register: str, fmt: str):
    return register_download(register, fmt)
