"""Every model module, imported once so that the metadata (and Alembic) sees them all.

A new feature adds its `models` import here.
"""

from webapp.appointments import models as appointments_models  # noqa: F401
from webapp.common import audit, workflow  # noqa: F401
from webapp.hazards import models as hazard_models  # noqa: F401
from webapp.notifications import models as notifications_models  # noqa: F401
from webapp.open311 import models as open311_models  # noqa: F401
from webapp.scheduler import models as scheduler_models  # noqa: F401
from webapp.staff import models as staff_models  # noqa: F401
from webapp.training import models as training_models  # noqa: F401
