"""Who to contact, per treatment and per contact route (data/contacts.yml)."""
from dataclasses import dataclass
from typing import Any, Dict, Optional

from bot import paths, procedures, yamldata


@dataclass(frozen=True)
class Contact:
    procedure: str
    name: str
    phone: str
    hours: str
    source: Optional[Dict[str, str]]
    country: str = "unknown"  # NL | BE | unknown
    tel: str = ""  # the number for a tel: link, in international form
    in_sentence: str = ""  # the name as it reads inside a Dutch sentence ("met de afdeling ... van het ...")

    def as_dict(self) -> Dict[str, str]:
        return {"name": self.name, "phone": self.phone, "hours": self.hours, "tel": self.tel}


def _data() -> Dict[str, Any]:
    return yamldata.load(paths.DATA / "contacts.yml")


def contact_for(procedure: Optional[str]) -> Contact:
    """The contact for a treatment; the general one when it is not known."""
    key = procedures.normalize(procedure) or procedures.UNKNOWN
    item = _data()["contacts"][key]
    return Contact(key, item["name"], item["phone"], item["hours"], item.get("source"), item.get("country", "unknown"), item.get("tel", ""),
                   item.get("in_sentence", item["name"]))


def same_day_contact(procedure: Optional[str]) -> Contact:
    """Who to contact today (thrombosis, a wound problem): the department, unless the treatment names another."""
    base = contact_for(procedure)
    item = _data()["contacts"][base.procedure].get("same_day")
    if not item:
        return base
    return Contact(base.procedure, item["name"], item["phone"], item["hours"], base.source, base.country, item.get("tel", ""),
                   item.get("in_sentence", item["name"]))


def route_contact(route: str, procedure: Optional[str]) -> Contact:
    """The contact object of an escalation whose most urgent reason has this route."""
    base = contact_for(procedure)
    if route == "emergency":
        item = _data()["emergency"]
    elif route == "suicide":
        lines = _data()["suicide_prevention"]
        item = lines.get(base.country) or lines["unknown"]
    elif route == "same_day":
        return same_day_contact(procedure)
    else:
        return base
    return Contact(base.procedure, item["name"], item["phone"], item["hours"], None, base.country, item.get("tel", item["phone"]),
                   item.get("in_sentence", item["name"]))
