from portal.forms import IdNumberField, PortalForm


class FindCitizenForm(PortalForm):
    certno = IdNumberField()
