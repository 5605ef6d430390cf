"""The questionnaire as blocks of flowables; each block (one question) is kept on one page."""

import re

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.surveys.definition.model import Option, Question, Section, SurveyDefinition, text_in
from app.surveys.definition.variables import numbering
from app.surveys.paper.answers import answer_flowables
from app.surveys.paper.flowables import Rule, TickOption
from app.surveys.paper.style import PaperStyle, markup
from app.surveys.paper.text import phrase, routing_sentence


class BlockBuilder:
    """Turns a definition into blocks of flowables for one language and print size."""

    def __init__(self, definition: SurveyDefinition, language: str, style: PaperStyle) -> None:
        self.definition, self.language, self.style = definition, language, style
        self.numbers = numbering(definition)
        self.targets = {}
        for question in definition.questions:
            self.targets[question.code] = (question, self.numbers[question.code])
            for item in question.items:
                variable = question.item_variable(item)
                self.targets[variable] = (question, self.numbers[variable])

    def text(self, texts) -> str:
        """Text in the paper language, escaped for Paragraph markup.

        French gets a no-break space before ? ! : ; so the sign never starts a line.
        """
        text = text_in(texts, self.language)
        if self.language == "fr":
            text = re.sub(r" ([?!:;])", "\u00a0\\1", text)
        return markup(text)

    def blocks(self, *, return_address_lines: tuple[str, ...] = (),
               return_instruction: str | None = None) -> list[list[Flowable]]:
        """Cover block, one block per question (section headings join the first question), end."""
        result = [self.cover()]
        for section in self.definition.sections:
            heading = self.section_heading(section)
            for index, question in enumerate(section.questions):
                block = self.question_block(question)
                result.append((heading + block) if index == 0 else block)
        result.append(self.closing(return_address_lines, return_instruction))
        return result

    def cover(self) -> list[Flowable]:
        """Title, introduction and how to fill in, with example boxes."""
        style = self.style
        flowables: list[Flowable] = [Paragraph(self.text(self.definition.title), style.title)]
        intro = text_in(self.definition.intro, self.language)
        flowables += [Paragraph(markup(part), style.body) for part in intro.split("\n\n") if part]
        flowables += [Spacer(1, 3 * mm), Paragraph(markup(phrase(self.language, "how_title")),
                                                    style.section)]
        for key, mark, answer in (("how_tick", "cross", "yes"), ("how_correct", "filled", "no")):
            flowables.append(Paragraph(markup(phrase(self.language, key)), style.body))
            flowables.append(TickOption(Paragraph(phrase(self.language, answer), style.body),
                                        style.box, indent=style.indent, mark=mark))
        flowables.append(Paragraph(markup(phrase(self.language, "how_write")), style.body))
        return flowables

    def section_heading(self, section: Section) -> list[Flowable]:
        """Rule, title and routing instruction of a section."""
        flowables: list[Flowable] = [Rule(space=3 * mm)]
        if text_in(section.title, self.language).strip():
            flowables.append(Paragraph(self.text(section.title), self.style.section))
        if section.condition is not None:
            sentence = routing_sentence(section.condition, self.targets, self.language,
                                        section=True, next_number=self._after_section(section))
            flowables.append(Paragraph(markup(sentence), self.style.routing))
        return flowables

    def question_block(self, question: Question) -> list[Flowable]:
        """Routing, numbered question text, help, instruction and the answer area."""
        style = self.style
        flowables: list[Flowable] = []
        if question.condition is not None:
            sentence = routing_sentence(question.condition, self.targets, self.language,
                                        section=False, next_number=self._after(question))
            flowables.append(Paragraph(markup(sentence), style.routing))
        number = self.numbers[question.code]
        flowables.append(Paragraph(self.text(question.text), style.question,
                                   bulletText=f"{number}."))
        if text_in(question.help, self.language).strip():
            flowables.append(Paragraph(self.text(question.help), style.help))
        flowables += answer_flowables(question, self, number)
        return flowables

    def tick_options(self, options: tuple[Option, ...], *, gap_before: bool = False,
                     indent: float | None = None) -> list[Flowable]:
        """One tick box per option; a small gap before "don't know" options."""
        flowables: list[Flowable] = [Spacer(1, 1.5 * mm)] if gap_before and options else []
        indent = self.style.indent if indent is None else indent
        flowables += [TickOption(Paragraph(self.text(option.label), self.style.body),
                                 self.style.box, indent=indent) for option in options]
        return flowables

    def closing(self, address_lines: tuple[str, ...], instruction: str | None) -> list[Flowable]:
        """Outro, return instruction, return address and "end of the questionnaire"."""
        style = self.style
        flowables: list[Flowable] = [Rule(space=3 * mm)]
        outro = text_in(self.definition.outro, self.language)
        flowables += [Paragraph(markup(part), style.body) for part in outro.split("\n\n") if part]
        text = instruction if instruction is not None else phrase(self.language, "return")
        flowables += [Spacer(1, 3 * mm), Paragraph(markup(text), style.question.clone(
            "return", leftIndent=0))]
        if address_lines:
            address = "<br/>".join(markup(line) for line in address_lines)
            address_style = style.body.clone("address", leftIndent=style.indent)
            flowables.append(Paragraph(address, address_style))
        flowables += [Spacer(1, 4 * mm),
                      Paragraph(markup(phrase(self.language, "end")), style.section)]
        return flowables

    def _after(self, question: Question) -> str | None:
        questions = self.definition.questions
        position = questions.index(question)
        for later in questions[position + 1:]:
            if later.condition != question.condition:
                return self.numbers[later.code]
        return None

    def _after_section(self, section: Section) -> str | None:
        sections = list(self.definition.sections)
        for later in sections[sections.index(section) + 1:]:
            if later.condition != section.condition and later.questions:
                return self.numbers[later.questions[0].code]
        return None
