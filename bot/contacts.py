"""Who to contact, per treatment (data/contacts.yml)."""
from dataclasses import dataclass
from typing import Dict, Optional

from bot import paths, procedures, yamldata


@dataclass(frozen=True)
class Contact:
    procedure: str
    name: str
    phone: str
    hours: str
    source: Optional[Dict[str, str]]

    def as_dict(self) -> Dict[str, str]:
        return {"name": self.name, "phone": self.phone, "hours": self.hours}


def contact_for(procedure: Optional[str]) -> Contact:
    """The contact for a treatment; the general one when it is not known."""
    key = procedures.normalize(procedure) or procedures.UNKNOWN
    item = yamldata.load(paths.DATA / "contacts.yml")["contacts"][key]
    return Contact(key, item["name"], item["phone"], item["hours"], item.get("source"))


def emergency_phone() -> str:
    return yamldata.load(paths.DATA / "contacts.yml")["emergency"]["phone"]
