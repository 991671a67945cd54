"""The national register shipped with the project: SCB's county and municipality codes."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_counties() -> list[dict[str, str]]:
    with (DATA_DIR / "counties.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_municipalities() -> list[dict[str, str]]:
    with (DATA_DIR / "municipalities.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_register(county_model, municipality_model) -> None:
    """Create or refresh the register; takes the models so migrations can pass historical ones."""
    counties = {}
    for row in read_counties():
        county, _created = county_model.objects.update_or_create(
            code=row["county_code"],
            defaults={"name": row["county_name"], "region_name": row["region_name"]},
        )
        counties[county.code] = county
    for row in read_municipalities():
        municipality_model.objects.update_or_create(
            code=row["municipality_code"],
            defaults={"name": row["municipality_name"], "county": counties[row["county_code"]]},
        )
