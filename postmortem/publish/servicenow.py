"""ServiceNow: the PDF attached to the record (incident, problem or change) by its number."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from postmortem.publish.content import Package, upload_message, versions
from postmortem.publish.outcome import Published
from postmortem.publish.session import Session
from postmortem.publish.targets import PublishError, Target, servicenow_table


def publish(target: Target, package: Package, session: Session) -> Published:
    """Find the record's sys_id, then attach the PDF unless this version is already there."""
    api = session.api(target)
    number = target.ref
    table = servicenow_table(number)
    query = urlencode(
        {"sysparm_query": f"number={number}", "sysparm_fields": "sys_id,number", "sysparm_limit": 1}
    )
    stand_in = {"result": [{"sys_id": f"<sys_id of {number}>"}]}
    records = api.call("GET", f"/api/now/table/{table}?{query}", dry=stand_in)
    if not records.get("result"):
        raise PublishError(f"no {table} record numbered {number}; check the number")
    sys_id = str(records["result"][0]["sys_id"])
    listing = urlencode(
        {
            "sysparm_query": f"table_name={table}^table_sys_id={sys_id}",
            "sysparm_fields": "sys_id,file_name",
        }
    )
    found = api.call("GET", f"/api/now/attachment?{listing}", dry={"result": []})
    attached = found.get("result") or []
    seen = versions(package, ((str(a["sys_id"]), str(a["file_name"])) for a in attached))
    if not seen.present:
        upload = urlencode(
            {"table_name": table, "table_sys_id": sys_id, "file_name": package.pdf_name}
        )
        api.call("POST", f"/api/now/attachment/file?{upload}", raw=("application/pdf", package.pdf))
    for ident in seen.older if session.replace else ():
        api.call("DELETE", f"/api/now/attachment/{quote(ident, safe='')}")
    url = None if session.dry_run else f"{api.base}/{table}.do?sys_id={quote(sys_id, safe='')}"
    return Published(
        str(target),
        True,
        upload_message(seen, session.replace),
        url=url,
        attachment=package.pdf_name,
        already_there=seen.present,
    )
