from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.forms import BaseForm


class CodeForm(BaseForm):
    code = StringField(_l("Uw persoonlijke code"), validators=[DataRequired(), Length(max=64)],
                       description=_l("U vindt de code in uw brief of e-mail, bijvoorbeeld "
                                      "ABCD-EFGH-JK. Hoofdletters, spaties en streepjes "
                                      "maken niet uit."))
