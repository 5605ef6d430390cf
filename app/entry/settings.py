"""Per-survey keying settings and the seeded verification sample of single keying.

Whether a form is keyed a second time is decided per form from the survey's seed and the
form's assignment id alone (not from arrival order), so anyone can replay the selection from the
recorded seed and share.
"""

import numpy as np
import sqlalchemy as sa

from app import audit
from app.entry.errors import EntryError
from app.extensions import db
from app.models import EntrySetting, User


def setting_for(survey_id: int) -> EntrySetting:
    """The survey's setting; double keying when none was stored."""
    found = db.session.scalar(sa.select(EntrySetting).where(EntrySetting.survey_id == survey_id))
    return found or EntrySetting(survey_id=survey_id, mode="double", verification_share=0.1,
                                 seed=0)


def change_setting(survey_id: int, *, mode: str, share: float, seed: int,
                   actor: User) -> EntrySetting:
    """Store the keying mode; applies to forms received from now on."""
    if mode not in ("double", "single") or not 0 <= share <= 1 or seed < 0:
        raise EntryError("Kies dubbele of enkele invoer, een aandeel van 0 tot 100 % en een "
                         "niet-negatieve seed.")
    setting = db.session.scalar(sa.select(EntrySetting).where(
        EntrySetting.survey_id == survey_id))
    if setting is None:
        setting = EntrySetting(survey_id=survey_id)
        db.session.add(setting)
    setting.mode, setting.verification_share, setting.seed = mode, share, seed
    setting.changed_by_id = actor.id
    db.session.flush()
    audit.record("entry_setting_changed", setting, actor=actor,
                 details={"survey_id": survey_id, "mode": mode, "share": share, "seed": seed})
    return setting


def in_verification_sample(unit_id: int, share: float, *, seed: int) -> bool:
    """Whether unit `unit_id` is in the seeded Bernoulli(`share`) verification sample.

    Parameters
    ----------
    unit_id : int
        The assignment (or invitation) id of the form.
    share : float
        Expected share of forms verified, between 0 and 1.
    seed : int
        The survey's recorded seed.

    Returns
    -------
    bool
        The same answer for the same (seed, unit, share), whatever the order of arrival.

    References
    ----------
    .. [1] O'Neill, M. E. (2014). PCG: A family of simple fast space-efficient statistically
       good algorithms for random number generation. NumPy's default bit generator; seeding
       with ``[seed, unit_id]`` gives independent streams per unit.
    """
    if share <= 0:
        return False
    return bool(np.random.default_rng([seed, unit_id]).random() < share)


def passes_for(survey_id: int, unit_id: int) -> tuple[int, bool]:
    """(passes required, sampled for verification) for a newly received form."""
    setting = setting_for(survey_id)
    if setting.mode == "double":
        return 2, False
    sampled = in_verification_sample(unit_id, setting.verification_share, seed=setting.seed)
    return (2 if sampled else 1), sampled
