"""Envelope profiles: where the window of an envelope falls on the A4 letter inside it.

All measurements are in millimetres on the A4 sheet (210 x 297 mm), x from the left edge and
y from the top edge, as the sheet lies flat before folding. No single Belgian window standard
exists, so a city picks a profile or defines its own and checks it with the calibration sheet
(:func:`app.invitations.letters.render_calibration_sheet`).

Profiles shipped:

``DL_LEFT``
    DIN 5008 form B address field: 20 mm from the left, 45 mm from the top, 85 x 45 mm,
    for an A4 sheet folded in three (fold lines at 105 and 210 mm) into a DL envelope
    (110 x 220 mm) with the window on the left.
``DL_RIGHT``
    The same field mirrored to the right-hand side: 20 mm from the right edge, so
    x = 210 - 20 - 85 = 105 mm from the left; same top, size and folding.
``C5``
    A4 folded once (fold line at 148.5 mm) into a C5 envelope (162 x 229 mm) with a common
    90 x 45 mm window 20 mm from the left and 50 mm from the top of the sheet.

The address is kept :attr:`EnvelopeProfile.safety_margin_mm` (5 mm) inside each window
edge, so it stays visible when the letter shifts a little in the envelope.
"""

from dataclasses import dataclass

A4_WIDTH_MM = 210.0
A4_HEIGHT_MM = 297.0


@dataclass(frozen=True)
class EnvelopeProfile:
    """A window rectangle on the A4 sheet, in millimetres from the left and top edges."""

    name: str
    label: str
    window_x_mm: float
    window_y_mm_from_top: float
    window_w_mm: float
    window_h_mm: float
    safety_margin_mm: float = 5.0
    fold_lines_mm: tuple[float, ...] = (105.0, 210.0)

    def __post_init__(self) -> None:
        inside = (self.window_x_mm >= 0 and self.window_y_mm_from_top >= 0
                  and self.window_x_mm + self.window_w_mm <= A4_WIDTH_MM
                  and self.window_y_mm_from_top + self.window_h_mm <= A4_HEIGHT_MM)
        if not inside:
            raise ValueError(f"Het venster van {self.name!r} valt buiten het A4-blad.")
        if min(self.window_w_mm, self.window_h_mm) <= 2 * self.safety_margin_mm:
            raise ValueError(f"Het venster van {self.name!r} is te klein voor de marge.")

    @property
    def text_area_mm(self) -> tuple[float, float, float, float]:
        """(x, y from top, width, height) of the area where address text may go."""
        margin = self.safety_margin_mm
        return (self.window_x_mm + margin, self.window_y_mm_from_top + margin,
                self.window_w_mm - 2 * margin, self.window_h_mm - 2 * margin)

    @property
    def window_on_left(self) -> bool:
        """True when the window's centre lies in the left half of the sheet."""
        return self.window_x_mm + self.window_w_mm / 2 < A4_WIDTH_MM / 2


DL_LEFT = EnvelopeProfile("DL_LEFT", "DL, venster links (DIN 5008 B)", 20, 45, 85, 45)
DL_RIGHT = EnvelopeProfile("DL_RIGHT", "DL, venster rechts", 105, 45, 85, 45)
C5 = EnvelopeProfile("C5", "C5, venster links (A4 eenmaal gevouwen)", 20, 50, 90, 45,
                     fold_lines_mm=(148.5,))

PROFILES: dict[str, EnvelopeProfile] = {profile.name: profile
                                        for profile in (DL_LEFT, DL_RIGHT, C5)}
