"""The JSON API for designated institutions (/api/v1/). Plain views; every error is {"code", "message"}.

Input rules: the body must be a JSON object. Money must be a JSON *string* with at most two decimals
("12.30"); JSON numbers are refused (INVALID_FIELD), so no amount ever passes through a float.
"""

import json
import re
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from audit.refusals import refusal_log
from core.reasons import Reason, Refused
from registry import idnumber
from settlement import enquiries, loaders, services
from settlement import reasons as api_reasons
from settlement.keys import api_key_cached, api_key_for, api_key_forget
from settlement.loaders import KeyNotValid
from settlement.models import Category

MAX_AMOUNT = Decimal("99999999.99")
_AMOUNT = re.compile(r"^\d{1,8}(\.\d{1,2})?$", re.ASCII)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$", re.ASCII)
CERT_TYPES = {"01", "02"}

STATUS_OF = {
    "UNAUTHORIZED": 401, "PATIENT_NOT_FOUND": 404, "SETTLEMENT_NOT_FOUND": 404, "NOT_FOUND": 404,
    "REQUEST_ID_CONFLICT": 409, "RETRY": 409, "METHOD_NOT_ALLOWED": 405,
}


class BadInput(Exception):
    def __init__(self, reason: Reason):
        super().__init__(reason.code)
        self.reason = reason


def error(reason: Reason, status: int | None = None) -> JsonResponse:
    message = str(reason.message)
    if reason.next_step:
        message = f"{message} {reason.next_step}"
    response = JsonResponse({"code": reason.code, "message": message}, status=status or STATUS_OF.get(reason.code, 400),
                            json_dumps_params={"ensure_ascii": False})
    if response.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="gongjitong"'
    return response


def reply(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def api_view(methods: list[str], *, key_checked_in_view: bool = False):
    """Bearer authentication, method check, and every Refused / bad input turned into a JSON error.

    `key_checked_in_view`: the key comes from this process's cache (settlement.keys.api_key_cached) and the view's
    service re-checks it in its transaction's first statement (raising KeyNotValid). A view that stops before its
    service (bad input) has not checked it: the key is then read again before answering, as without the cache."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = error(api_reasons.METHOD_NOT_ALLOWED)
                response["Allow"] = ", ".join(methods)
                return response
            header = request.headers.get("Authorization", "")
            raw = header[7:].strip() if header[:7].lower() == "bearer " else None
            if raw is None:
                return error(api_reasons.UNAUTHORIZED)
            if not key_checked_in_view:
                return _answer(request, view, api_key_for(raw), args, kwargs)
            try:
                return _answer(request, view, api_key_cached(raw), args, kwargs, raw=raw)
            except KeyNotValid:
                api_key_forget(raw)  # revoked, or changed since cached: read it again (a new row for the same key)
            try:
                return _answer(request, view, api_key_cached(raw), args, kwargs, raw=raw)
            except KeyNotValid:
                api_key_forget(raw)
                return error(api_reasons.UNAUTHORIZED)

        return wrapper

    return decorator


def _answer(request, view, api_key, args, kwargs, raw=None):
    if api_key is None:
        return error(api_reasons.UNAUTHORIZED)
    request.api_key = api_key
    try:
        response = view(request, api_key.institution, *args, **kwargs)
    except BadInput as bad:
        if raw is not None and not getattr(request, "api_key_checked", False):
            # the cached key was not checked by the service: read it (a revoked key is 401)
            fresh = api_key_for(raw)
            if fresh is None or fresh.pk != api_key.pk:
                raise KeyNotValid from None
        response = error(bad.reason, 400)
    except Refused as refused:
        refusal_log([refused.reason], channel="api", region=api_key.institution.region_id)
        response = error(refused.reason)
    if 400 <= response.status_code < 500 and response.status_code != 429:
        enquiries.refusal_record(api_key)
    return response


# --- input ---------------------------------------------------------------------------------------------------


def _invalid(field: str, problem: str) -> BadInput:
    return BadInput(api_reasons.INVALID_FIELD.with_detail(field=field, problem=problem))


def _reject_constant(name):
    raise ValueError(name)


def json_body(request) -> dict:
    try:
        body = json.loads(request.body.decode("utf-8"), parse_float=Decimal, parse_constant=_reject_constant)
    except (RequestDataTooBig, UnicodeDecodeError, ValueError, RecursionError):
        raise BadInput(api_reasons.INVALID_JSON) from None
    if not isinstance(body, dict):
        raise BadInput(api_reasons.INVALID_JSON)
    return body


def _string(body: dict, field: str) -> str:
    value = body.get(field)
    if value is None or value == "":
        raise _invalid(field, _("required"))
    if not isinstance(value, str):
        raise _invalid(field, _("must be a string"))
    return value


def parse_amount(body: dict, field: str = "amount") -> Decimal:
    raw = _string(body, field)  # exactly the documented pattern: no trimming of spaces, NBSP or newlines
    if not _AMOUNT.fullmatch(raw):
        raise _invalid(field, _("a string of yuan with at most two decimals, for example \"12.30\""))
    try:
        amount = Decimal(raw).quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - the pattern already excludes it
        raise _invalid(field, _("not a number")) from None
    if amount <= 0 or amount > MAX_AMOUNT:
        raise _invalid(field, _("must be more than 0.00 and at most %(max)s") % {"max": MAX_AMOUNT})
    return amount


def parse_request_id(body: dict) -> str:
    value = _string(body, "request_id")
    if not _REQUEST_ID.fullmatch(value):
        raise _invalid("request_id", _("1 to 64 letters, digits or _ . : -"))
    return value


def parse_certificate(cert_type, cert_no, *, type_field="mdtrt_cert_type", no_field="mdtrt_cert_no") -> tuple[str, str]:
    if not isinstance(cert_type, str) or cert_type not in CERT_TYPES:
        raise _invalid(type_field, _("must be \"02\" (resident ID number) or \"01\" (insurance code)"))
    if not isinstance(cert_no, str) or not cert_no.strip() or len(cert_no) > 512:
        raise _invalid(no_field, _("required, a string"))
    if cert_type == "02":
        try:
            return cert_type, idnumber.parse(cert_no).number
        except ValidationError:
            raise _invalid(no_field, _("not a valid resident ID number")) from None
    return cert_type, cert_no.strip()


# --- views ---------------------------------------------------------------------------------------------------


@api_view(["GET"], key_checked_in_view=True)
def patient_detail(request, institution, mdtrt_cert_no):
    api_key = request.api_key
    cert_type = request.GET.get("mdtrt_cert_type", "02")
    refusal = payers = reserves = None
    try:
        cert_type, cert_no = parse_certificate(cert_type, mdtrt_cert_no)
    except BadInput as bad:
        refusal = bad  # answered after the key's check and the count, as before
    # The cached key is re-checked in the statement that counts the enquiry (and, for an ID number, reads the
    # patient and who could pay): a revoked key counts nothing and is 401 (api_view).
    if refusal is None and cert_type == "02":
        count, payers, reserves = loaders.enquiry_load(api_key=api_key, certno=cert_no, on=timezone.localdate(),
                                                       counter=enquiries.enquiry_counter(api_key))
    else:
        count = loaders.enquiry_count(api_key=api_key, counter=enquiries.enquiry_counter(api_key))
    request.api_key_checked = True
    if count > settings.API_ENQUIRIES_PER_MINUTE:
        response = error(api_reasons.RATE_LIMITED, 429)
        response["Retry-After"] = str(enquiries.ENQUIRY_WINDOW)
        return response
    try:
        if refusal is not None:
            raise refusal
        if payers is not None:
            patient = payers.patient
        elif cert_type == "02":
            raise Refused(api_reasons.PATIENT_NOT_FOUND)
        else:
            patient = services.patient_resolve(cert_type=cert_type, cert_no=cert_no, consume=False)
    except (BadInput, Refused) as refused:
        enquiries.enquiry_audit(api_key=api_key, cert_type=str(cert_type)[:2], refused=refused.reason.code)
        raise
    enquiries.enquiry_audit(api_key=api_key, patient=patient, cert_type=cert_type)
    return reply(services.patient_summary(patient=patient, payers=payers, reserves=reserves))


@api_view(["POST"], key_checked_in_view=True)
def settlement_create(request, institution):
    body = json_body(request)
    request_id = parse_request_id(body)
    cert_type, cert_no = parse_certificate(body.get("mdtrt_cert_type"), body.get("mdtrt_cert_no"))
    amount = parse_amount(body)
    category = body.get("category")
    if not isinstance(category, str) or category not in Category.values:
        raise _invalid("category", _("one of %(choices)s") % {"choices": ", ".join(Category.values)})
    outcome = services.settlement_create(institution=institution, api_key=request.api_key, body={
        "request_id": request_id, "mdtrt_cert_type": cert_type, "mdtrt_cert_no": cert_no, "amount": amount,
        "category": category,
    })
    return reply(outcome.reply, 201 if outcome.created else 200)


@api_view(["POST"], key_checked_in_view=True)
def refund_create(request, institution, settlement_id):
    body = json_body(request)
    request_id = parse_request_id(body)
    amount = parse_amount(body)
    outcome = services.refund_create(institution=institution, api_key=request.api_key, settlement_id=settlement_id,
                                     body={"request_id": request_id, "amount": amount})
    return reply(outcome.reply, 201 if outcome.created else 200)


@csrf_exempt
def not_found(request, *args, **kwargs):
    return error(api_reasons.NOT_FOUND)


def openapi(request):
    from settlement.openapi import schema

    return reply(schema())

