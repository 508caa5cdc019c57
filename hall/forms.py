from core.forms import PortalForm
from registry.forms import IdNumberField


class FindCitizenForm(PortalForm):
    certno = IdNumberField()
