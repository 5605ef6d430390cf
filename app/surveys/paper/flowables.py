"""Reportlab flowables for the paper questionnaire: tick boxes, digit boxes, writing lines."""

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

BOX_LINE_WIDTH = 1.0
GAP = 3 * mm


class TickOption(Flowable):
    """A square tick box left of a label paragraph (the box aligns with the first line)."""

    def __init__(self, label: Paragraph, box: float, *, indent: float = 0.0,
                 mark: str | None = None, show_box: bool = True) -> None:
        super().__init__()
        self.label, self.box, self.indent, self.mark = label, box, indent, mark
        self.show_box = show_box
        self.spaceAfter = box * 0.35
        self._label_height = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        text_width = available_width - self.indent - self.box - GAP
        _, self._label_height = self.label.wrap(text_width, available_height)
        self.width = available_width
        self.height = max(self.box, self._label_height + self._label_drop())
        return self.width, self.height

    def _label_drop(self) -> float:
        return max(0.0, (self.box - self.label.style.leading) / 2)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        text_width = available_width - self.indent - self.box - GAP
        parts = self.label.split(text_width, available_height)
        if len(parts) < 2:
            return []
        first = TickOption(parts[0], self.box, indent=self.indent, mark=self.mark,
                           show_box=self.show_box)
        rest = [TickOption(part, self.box, indent=self.indent, show_box=False)
                for part in parts[1:]]
        return [first, *rest]

    def draw(self) -> None:
        box_top = self.height - max(0.0, (self.label.style.leading - self.box) / 2)
        if self.show_box:
            draw_box(self.canv, self.indent, box_top - self.box, self.box, mark=self.mark)
        label_top = self.height - self._label_drop()
        self.label.drawOn(self.canv, self.indent + self.box + GAP,
                          label_top - self._label_height)


def draw_box(canvas, x: float, y: float, size: float, *, mark: str | None = None) -> None:
    """An empty square tick box; `mark` ``"cross"`` or ``"filled"`` for the instructions."""
    canvas.saveState()
    canvas.setLineWidth(BOX_LINE_WIDTH)
    canvas.setStrokeColorRGB(0, 0, 0)
    if mark == "filled":
        canvas.setFillColorRGB(0, 0, 0)
    else:
        canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=1, fill=1)
    if mark == "cross":
        inset = size * 0.18
        canvas.setLineWidth(1.6)
        canvas.line(x + inset, y + inset, x + size - inset, y + size - inset)
        canvas.line(x + inset, y + size - inset, x + size - inset, y + inset)
    canvas.restoreState()


class TickBox(Flowable):
    """A lone tick box, centred in its cell (for matrix grids)."""

    def __init__(self, box: float) -> None:
        super().__init__()
        self.box = box

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.box

    def draw(self) -> None:
        draw_box(self.canv, (self.width - self.box) / 2, 0, self.box)


class BoxRow(Flowable):
    """Groups of writing boxes (digits, day/month/year) with small captions below.

    `groups` is a list of (box count, caption); `separators` are printed between groups.
    """

    def __init__(self, groups: list[tuple[int, str]], *, box: float, font: str,
                 caption_size: float, separator: str = "", indent: float = 0.0) -> None:
        super().__init__()
        self.groups, self.box, self.font = groups, box, font
        self.caption_size, self.separator, self.indent = caption_size, separator, indent
        self.spaceAfter = 2 * mm

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        captions = any(caption for _, caption in self.groups)
        self.width = available_width
        self.height = self.box + (self.caption_size * 1.3 if captions else 0)
        return self.width, self.height

    def draw(self) -> None:
        canvas, x = self.canv, self.indent
        top = self.height - self.box
        canvas.setLineWidth(BOX_LINE_WIDTH)
        for index, (count, caption) in enumerate(self.groups):
            if index and self.separator:
                canvas.setFont(self.font, self.box * 0.8)
                canvas.drawCentredString(x + self.box * 0.3, top + self.box * 0.2, self.separator)
                x += self.box * 0.6
            start = x
            for _ in range(count):
                canvas.rect(x, top, self.box, self.box, stroke=1, fill=0)
                x += self.box
            if caption:
                canvas.setFont(self.font, self.caption_size)
                canvas.drawCentredString((start + x) / 2, top - self.caption_size * 1.1, caption)
            x += self.box * 0.3


class WritingLines(Flowable):
    """Ruled lines to write an open answer on."""

    def __init__(self, count: int, spacing: float, *, indent: float = 0.0) -> None:
        super().__init__()
        self.count, self.spacing, self.indent = count, spacing, indent

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self.count * self.spacing
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.6)
        canvas.setStrokeColorRGB(0.35, 0.35, 0.35)
        for line in range(self.count):
            y = self.height - (line + 1) * self.spacing
            canvas.line(self.indent, y, self.width, y)


class Rule(Flowable):
    """A thin horizontal line across the frame."""

    def __init__(self, thickness: float = 1.2, space: float = 2 * mm) -> None:
        super().__init__()
        self.thickness = thickness
        self.spaceBefore = space
        self.spaceAfter = space

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.thickness

    def draw(self) -> None:
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.thickness / 2, self.width, self.thickness / 2)
