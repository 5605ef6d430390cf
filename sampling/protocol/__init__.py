"""The draw protocol: an A4 PDF in Dutch that documents a draw for the record (``pdf``), with
its per-variable summary and per-stratum annex (``tables``)."""

from sampling.protocol.pdf import render_protocol_pdf

__all__ = ["render_protocol_pdf"]
