"""The shape of the synthetic dataset (`lcgraph.synth`): what it copies, its CSV headers, and
the mix of organisation types with their helix and usual role.
"""

from __future__ import annotations

from dataclasses import dataclass

# Copied unchanged: the code lists and vocabularies the synthetic rows refer to.
COPIED = (
    "arbeidsmarktregios_cbs_2017.csv",
    "concepts.csv",
    "corop_cbs_2017.csv",
    "documents.csv",
    "landsdelen_cbs_2017.csv",
    "provincies_cbs_2017.csv",
    "schemes.csv",
    "topsector_definitions.csv",
    "topsectoren.csv",
)

ORGANISATION_HEADER = (
    "id",
    "type",
    "name",
    "sectors_stated",
    "province",
    "corop_area",
    "labour_market_region",
    "homepage",
    "source",
    "source_section",
)
COMMUNITY_HEADER = (
    "id",
    "type",
    "name",
    "description",
    "sectors_stated",
    "sectors_inferred",
    "learning_functions",
    "target_groups",
    "collaboration_forms",
    "technologies",
    "province",
    "corop_area",
    "labour_market_region",
    "start_year",
    "participant_count",
    "is_cross_sector",
    "source",
    "source_section",
    "inference_note",
)
PARTICIPATION_HEADER = ("id", "organisation", "community", "role", "source", "source_section")


@dataclass(frozen=True)
class OrgType:
    """An lc: organisation class: its weight in the mix, helix, name prefix, sector count."""

    name: str
    weight: float
    helix: str
    label: str
    max_sectors: int


# Every organisation type of docs/model.md; weights give a plausible regional mix
# (many SMEs and self-employed, few universities and national bodies).
ORG_TYPES = (
    OrgType("SME", 34, "business", "Mkb-bedrijf", 1),
    OrgType("LargeCompany", 8, "business", "Bedrijf", 2),
    OrgType("SelfEmployed", 16, "business", "Zzp'er", 1),
    OrgType("VocationalSchool", 5, "education", "Mbo-school", 3),
    OrgType("UniversityOfAppliedSciences", 3, "education", "Hogeschool", 3),
    OrgType("University", 1, "research", "Universiteit", 3),
    OrgType("ResearchInstitute", 3, "research", "Onderzoeksinstituut", 2),
    OrgType("NationalGovernment", 0.5, "government", "Ministerie", 0),
    OrgType("RegionalGovernment", 1, "government", "Provincie", 0),
    OrgType("MunicipalGovernment", 6, "government", "Gemeente", 0),
    OrgType("CivilSocietyOrganisation", 10, "society", "Stichting", 1),
    OrgType("SectorTrainingFund", 2.5, "society", "Opleidingsfonds", 1),
    OrgType("CommercialTrainingProvider", 10, "business", "Opleider", 2),
)

# The role a participant usually plays, by helix (Nieuwenhuis 2000; docs/model.md).
HELIX_ROLE = {
    "business": "knowledge-user",
    "education": "knowledge-transfer",
    "research": "knowledge-development",
    "government": "participant",
    "society": "participant",
}
