"""All models, re-exported so Alembic and the services see one metadata."""

from app.models.base import utcnow
from app.models.entry import Conflict, Entry, EntrySetting, PaperForm
from app.models.invitation import (
    InvitationBatch,
    InvitationEvent,
    JoinProfileQuestion,
    LetterRun,
    LetterTemplateRecord,
    MailLog,
)
from app.models.job import Job
from app.models.jury import Jury, JuryCandidate, JuryLottery
from app.models.panel import Draw, Invitation, Member, Panel, Selection
from app.models.privacy import DataSubjectRequest, Study, SurveyAnonymisation
from app.models.register import Margin, RegisterImport, Resident, Suppression
from app.models.results import Report, WeightSet
from app.models.survey import Answer, Assignment, Response, Survey, SurveyVersion
from app.models.user import ROLES, AuditEvent, User, UserSession

__all__ = [
    "ROLES",
    "Answer",
    "Assignment",
    "AuditEvent",
    "Conflict",
    "DataSubjectRequest",
    "Draw",
    "Entry",
    "EntrySetting",
    "Invitation",
    "InvitationBatch",
    "InvitationEvent",
    "Job",
    "JoinProfileQuestion",
    "Jury",
    "JuryCandidate",
    "JuryLottery",
    "LetterRun",
    "LetterTemplateRecord",
    "MailLog",
    "Margin",
    "Member",
    "Panel",
    "PaperForm",
    "RegisterImport",
    "Resident",
    "Report",
    "Response",
    "Selection",
    "Study",
    "Suppression",
    "Survey",
    "SurveyAnonymisation",
    "SurveyVersion",
    "User",
    "UserSession",
    "WeightSet",
    "utcnow",
]
