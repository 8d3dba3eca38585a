"""Every feature's demo loader, imported so that it registers. A new feature adds a line."""

from webapp.appointments import demo as appointments_demo  # noqa: F401
from webapp.hazards import demo as hazards_demo  # noqa: F401
from webapp.staff import demo as staff_demo  # noqa: F401
from webapp.training import demo as training_demo  # noqa: F401
