"""Derive the packaged 2014 world from the raw public data (a developer's script).

Run ``uv run python scripts/build_data.py PATH/TO/shared/data``. The script reads the raw
tables described in that folder's SOURCES.md and writes compact CSV files and
README.md beside itself; they are committed, and ``sim`` never reads the raw folder
at run time. Every number comes from a raw table by a rule stated in README.md.
"""

from __future__ import annotations

import argparse
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.typing import SeriesGroupBy

OUT = Path(__file__).resolve().parents[1] / "sim" / "data"
YEAR = 2014
EU27 = tuple(
    "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL "
    "PRT ROU SVK SVN ESP SWE".split()
)
# World Bank aggregates that also occur in SIPRI/EI (SIPRI has EUU rows for 2022-24).
AGGREGATES = ("EUU", "WLD")
MT_OIL_TO_EJ = 0.041868  # SOURCES.md: oil Mt × 0.041868 EJ/Mt
TREND_YEARS = (2005, 2014)
SD_YEARS = (1995, 2014)
HISTORY_YEARS = (1990, 2014)
ARMS_YEARS = (2010, 2014)
ACTUAL_YEARS = (2015, 2024)
PRICE_COLUMNS = [
    "year",
    "brent_usd_bbl",
    "ttf_usd_mmbtu",
    "japan_lng_usd_mmbtu",
    "henry_hub_usd_mmbtu",
]
NMC_COLUMNS = {
    "milper": "milper_k",
    "irst": "irst_kt",
    "pec": "pec_kt_coal",
    "tpop": "tpop_k",
    "upop": "upop_k",
    "cinc": "cinc",
}
ENERGY_COLUMNS = [
    "energy_consumption_ej",
    "energy_production_ej",
    "gas_production_bcm",
    "gas_consumption_bcm",
    "oil_production_mt",
]


# ----------------------------------------------------------------------------- helpers


@cache
def _read(path: Path) -> pd.DataFrame:
    """Read a raw CSV once; "." (CEPII's missing-value code) is read as missing."""
    return pd.read_csv(path, na_values=["."])


def _raw(raw: Path, name: str) -> pd.DataFrame:
    """A raw table by its path relative to the raw data folder."""
    return _read(raw / name).copy()


def _sig(frame: pd.DataFrame, digits: int = 6) -> pd.DataFrame:
    """Round every float column to ``digits`` significant digits."""
    out = frame.copy()
    for col in out.select_dtypes("float").columns:
        out[col] = [float(f"{v:.{digits}g}") if pd.notna(v) else np.nan for v in out[col]]
    return out


def _write(frame: pd.DataFrame, out: Path, name: str) -> None:
    """Write a table with floats rounded to 6 significant digits."""
    _sig(frame).to_csv(out / name, index=False)


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Swap ``iso3_1``/``iso3_2`` so that ``iso3_1 < iso3_2`` (undirected pair files)."""
    frame = frame.copy()
    swap = frame["iso3_1"] > frame["iso3_2"]
    frame.loc[swap, ["iso3_1", "iso3_2"]] = frame.loc[swap, ["iso3_2", "iso3_1"]].to_numpy()
    return frame


def _arms(raw: Path) -> pd.DataFrame:
    """SIPRI TIV deliveries in 2010-14, with a flag for state recipients.

    Recipients whose SIPRI name ends in ``*`` are non-state armed groups (e.g.
    "Ukraine Rebels*"); the raw file gives them their host country's iso3, so they are
    flagged ``to_state = False``. ``**`` names (NATO, UN, ...) have no iso3.
    """
    arms = _raw(raw, "networks/arms_sipri_tiv_2000_2014.csv")
    arms = arms[arms["year"].between(*ARMS_YEARS)]
    arms["to_state"] = arms["recipient_iso3"].notna() & ~arms["recipient"].str.endswith("*")
    return arms


def _mean_tiv(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Mean yearly TIV over the 2010-14 window (years without deliveries count as 0)."""
    years = ARMS_YEARS[1] - ARMS_YEARS[0] + 1
    return frame.groupby(keys)["tiv_musd"].sum() / years


# ------------------------------------------------------------------------- countries


def countries(raw: Path) -> pd.DataFrame:
    """Countries: WDI codes with a 2014 GDP that COW, SIPRI or EI also list as a country.

    Args:
        raw: The raw data folder.

    Returns:
        Frame with ``iso3`` and WDI ``name``, sorted by iso3.
    """
    wdi = _raw(raw, "wdi.csv")
    known = (
        set(_raw(raw, "networks/states_cow_iso3.csv")["iso3"])
        | set(_raw(raw, "sipri_milex.csv")["iso3"])
        | set(_raw(raw, "ei_energy.csv")["iso3"])
    ) - set(AGGREGATES)
    rows = wdi[(wdi["year"] == YEAR) & wdi["gdp_usd"].notna() & wdi["iso3"].isin(known)]
    return rows[["iso3", "name"]].sort_values("iso3").reset_index(drop=True)


def _milex_series(raw: Path, iso3: list[str], first: int, last: int) -> pd.DataFrame:
    """Military spending (US$ bn) per country-year: SIPRI, else WDI share × GDP.

    Rows where neither source has a value are left out.
    """
    sipri = _raw(raw, "sipri_milex.csv")
    sipri = sipri[sipri["iso3"].isin(iso3) & sipri["year"].between(first, last)]
    sipri = sipri.dropna(subset=["milex_usd_m"]).set_index(["iso3", "year"])["milex_usd_m"]
    wdi = _raw(raw, "wdi.csv")
    wdi = wdi[wdi["iso3"].isin(iso3) & wdi["year"].between(first, last)]
    wdi = wdi.set_index(["iso3", "year"])
    share = (wdi["military_share_gdp_pct"] / 100 * wdi["gdp_usd"] / 1e9).dropna()
    both = pd.DataFrame({"sipri": sipri / 1e3, "wdi": share})
    out = pd.DataFrame(
        {
            "milex_usd_bn": both["sipri"].fillna(both["wdi"]),
            "milex_source": np.where(both["sipri"].notna(), "sipri", "wdi_share"),
        },
        index=both.index,
    ).dropna(subset=["milex_usd_bn"])
    return out.reset_index().sort_values(["iso3", "year"]).reset_index(drop=True)


# ---------------------------------------------------------------------- states_2014


def _growth(raw: Path, iso3: list[str], years: tuple[int, int]) -> SeriesGroupBy:
    """WDI real GDP growth (%) in a window of years, grouped by country."""
    wdi = _raw(raw, "wdi.csv")
    rows = wdi[wdi["iso3"].isin(iso3) & wdi["year"].between(*years)]
    return rows.groupby("iso3")["gdp_growth_pct"]


def _economy(raw: Path, iso3: list[str]) -> pd.DataFrame:
    """WDI GDP, growth trend (mean) and volatility (sample s.d.), population."""
    wdi = _raw(raw, "wdi.csv")
    now = wdi[(wdi["year"] == YEAR) & wdi["iso3"].isin(iso3)].set_index("iso3")
    return pd.DataFrame(
        {
            "gdp_usd_bn": now["gdp_usd"] / 1e9,
            "growth_trend_pct": _growth(raw, iso3, TREND_YEARS).mean(),
            "growth_sd_pct": _growth(raw, iso3, SD_YEARS).std(ddof=1),
            "population_m": now["population"] / 1e6,
        }
    ).reindex(iso3)


def _military(raw: Path, iso3: list[str]) -> pd.DataFrame:
    """2014 military spending (US$ bn) and its source; 0.0 and "missing" if none."""
    now = _milex_series(raw, iso3, YEAR, YEAR).set_index("iso3").reindex(iso3)
    return pd.DataFrame(
        {
            "milex_usd_bn": now["milex_usd_bn"].fillna(0.0),
            "milex_source": now["milex_source"].fillna("missing"),
        }
    )


def _energy(raw: Path, iso3: list[str]) -> pd.DataFrame:
    """EI 2014 energy; missing values are 0.0 and ``energy_source`` says "missing".

    ``energy_source`` is "ei" where EI publishes 2014 primary energy consumption. EI
    also lists some producers without consumption: their production figures are kept.
    """
    ei = _raw(raw, "ei_energy.csv")
    ei = ei[ei["year"] == YEAR].set_index("iso3").reindex(iso3)
    fuels = ei[["gas_production_ej", "coal_production_ej", "nuclear_ej", "renewables_ej"]]
    production = fuels.sum(axis=1, min_count=1).fillna(0.0) + (
        ei["oil_production_mt"].fillna(0.0) * MT_OIL_TO_EJ
    )
    out = pd.DataFrame(
        {
            "energy_consumption_ej": ei["primary_energy_ej"],
            "energy_production_ej": production,
            "gas_production_bcm": ei["gas_production_bcm"],
            "gas_consumption_bcm": ei["gas_consumption_bcm"],
            "oil_production_mt": ei["oil_production_mt"],
        }
    )
    source = np.where(out["energy_consumption_ej"].notna(), "ei", "missing")
    out = out.fillna(0.0)
    out["energy_source"] = source
    return out


def _capabilities(raw: Path, iso3: list[str]) -> pd.DataFrame:
    """COW NMC v6.0 components, 2014 (else latest year ≤ 2014); -9 codes become empty."""
    nmc = _raw(raw, "cow_nmc_v6.csv")
    cow = _raw(raw, "networks/states_cow_iso3.csv")[["stateabb", "iso3"]]
    nmc = nmc[nmc["year"] <= YEAR].merge(cow, on="stateabb")
    latest = nmc.sort_values("year").groupby("iso3").tail(1).set_index("iso3").reindex(iso3)
    out = latest[list(NMC_COLUMNS)].rename(columns=NMC_COLUMNS)
    out = out.where(out >= 0)  # COW codes missing values as -9
    for col in ("milper_k", "irst_kt", "pec_kt_coal", "tpop_k", "upop_k"):
        out[col] = out[col].round().astype("Int64")
    out["nmc_year"] = latest["year"].astype("Int64")
    return out


def _arms_totals(raw: Path, iso3: list[str]) -> pd.DataFrame:
    """Mean yearly SIPRI TIV 2010-14: all deliveries by a state; deliveries to a state."""
    arms = _arms(raw)
    exports = _mean_tiv(arms.dropna(subset=["supplier_iso3"]), ["supplier_iso3"])
    imports = _mean_tiv(arms[arms["to_state"]], ["recipient_iso3"])
    return pd.DataFrame(
        {
            "arms_exports_tiv_m": exports.reindex(iso3).fillna(0.0),
            "arms_imports_tiv_m": imports.reindex(iso3).fillna(0.0),
        }
    )


def states_table(raw: Path) -> pd.DataFrame:
    """One row per country in 2014: economy, military, energy, COW NMC, arms, EU flag.

    Args:
        raw: The raw data folder.

    Returns:
        The states_2014 table, sorted by iso3.
    """
    base = countries(raw)
    iso3 = base["iso3"].tolist()
    table = base.set_index("iso3")
    for part in (_economy, _military, _energy, _capabilities, _arms_totals):
        table = table.join(part(raw, iso3))
    table["eu27"] = table.index.isin(EU27).astype(int)
    return table.reset_index()


# --------------------------------------------------------------------- milex_history


def milex_history(raw: Path, iso3: list[str]) -> pd.DataFrame:
    """Military spending 1990-2014 (US$ bn, current): SIPRI, else WDI share × GDP.

    Args:
        raw: The raw data folder.
        iso3: Countries to include.

    Returns:
        Long table iso3, year, milex_usd_bn, milex_source.
    """
    return _milex_series(raw, iso3, *HISTORY_YEARS)


# ------------------------------------------------------------------------ dyads_2014


def _pair_value(frame: pd.DataFrame, column: str, how: str = "first") -> pd.Series:
    """A pair file's column indexed by the ordered pair (iso3_1 < iso3_2)."""
    return _ordered(frame).groupby(["iso3_1", "iso3_2"])[column].agg(how)


def _trade(raw: Path, index: pd.MultiIndex) -> pd.DataFrame:
    """Trade (US$ bn): DOTS 2014, DOTS 2013, COW 2014, COW 2013, first available."""
    dots = _raw(raw, "networks/trade_imf_dots_2013_2014.csv")
    cow = _raw(raw, "networks/trade_cow_v4_2013_2014.csv")
    value = pd.Series(np.nan, index=index)
    source = pd.Series("", index=index)
    for label, frame, year in (
        ("dots2014", dots, 2014),
        ("dots2013", dots, 2013),
        ("cow2014", cow, 2014),
        ("cow2013", cow, 2013),
    ):
        year_rows = frame[(frame["year"] == year) & frame["total_trade_musd"].notna()]
        candidate = _pair_value(year_rows, "total_trade_musd").reindex(index) / 1e3
        fill = value.isna() & candidate.notna()
        value[fill] = candidate[fill]
        source[fill] = label
    return pd.DataFrame({"trade_usd_bn": value, "trade_source": source})


def _unga(raw: Path, index: pd.MultiIndex) -> pd.DataFrame:
    """UNGA voting agreement 2014, else 2013; Serbia's COW code YUG is mapped to SRB."""
    unga = _raw(raw, "networks/unga_agreement_2013_2014.csv")
    recode = _cow_abb_recode(raw, set(index.get_level_values(0)) | set(index.get_level_values(1)))
    for col in ("iso3_1", "iso3_2"):
        unga[col] = unga[col].replace(recode)
    value = pd.Series(np.nan, index=index)
    year = pd.Series(pd.NA, index=index, dtype="Int64")
    for y in (2014, 2013):
        candidate = _pair_value(unga[unga["year"] == y], "agree").reindex(index)
        fill = value.isna() & candidate.notna()
        value[fill] = candidate[fill]
        year[fill] = y
    return pd.DataFrame({"unga_agree": value, "unga_year": year})


def _cow_abb_recode(raw: Path, valid: set[str]) -> dict[str, str]:
    """COW state abbreviations that are not valid iso3 codes, mapped to iso3 (YUG→SRB)."""
    cow = _raw(raw, "networks/states_cow_iso3.csv")
    return {
        abb: iso
        for abb, iso in zip(cow["stateabb"], cow["iso3"], strict=True)
        if abb not in valid and abb != iso
    }


def atop_year(raw: Path) -> int:
    """The ATOP year used: 2014, or the file's last year if it ends earlier."""
    atop = _raw(raw, "networks/alliances_atop_v5_1_2000_2014.csv")
    return int(min(atop["year"].max(), YEAR))


def _alliances(raw: Path, index: pd.MultiIndex) -> pd.Series:
    """ATOP v5.1 defence pledge (0/1) in :func:`atop_year`; pairs not listed are 0."""
    atop = _raw(raw, "networks/alliances_atop_v5_1_2000_2014.csv")
    atop = atop[atop["year"] == atop_year(raw)]
    defense = _pair_value(atop, "atop_defense", "max").reindex(index)
    return defense.fillna(0).astype(int).rename("atop_defense")


def _distance(raw: Path, index: pd.MultiIndex) -> pd.DataFrame:
    """Distance (km): CEPII distw, else CEPII distcap, else COW capital distance."""
    cepii = _raw(raw, "networks/distance_cepii_geodist.csv")
    cow = _raw(raw, "networks/distance_capitals_cow_2014.csv")
    value = pd.Series(np.nan, index=index)
    source = pd.Series("", index=index)
    for label, frame, column in (
        ("cepii_distw", cepii, "distw_km"),
        ("cepii_distcap", cepii, "distcap_km"),
        ("cow_capdist", cow, "capdist_km"),
    ):
        candidate = _pair_value(frame.dropna(subset=[column]), column).reindex(index)
        fill = value.isna() & candidate.notna()
        value[fill] = candidate[fill]
        source[fill] = label
    return pd.DataFrame({"distance_km": value, "distance_source": source})


def _contiguity(raw: Path, index: pd.MultiIndex) -> pd.Series:
    """COW direct contiguity type in 2014 (1 land … 5 sea ≤ 400 mi); 0 if not listed."""
    contig = _raw(raw, "networks/contiguity_cow_direct_2014.csv")
    contig = contig[contig["year"] == YEAR]
    return (
        _pair_value(contig, "conttype", "min")
        .reindex(index)
        .fillna(0)
        .astype(int)
        .rename("contiguity")
    )


def _arms_pairs(raw: Path, index: pd.MultiIndex) -> pd.DataFrame:
    """Mean yearly SIPRI TIV 2010-14 between the two states, each direction."""
    arms = _arms(raw)
    flows = _mean_tiv(arms[arms["to_state"]], ["supplier_iso3", "recipient_iso3"])
    first, second = index.get_level_values(0), index.get_level_values(1)
    forward = flows.reindex(pd.MultiIndex.from_arrays([first, second])).fillna(0.0)
    backward = flows.reindex(pd.MultiIndex.from_arrays([second, first])).fillna(0.0)
    return pd.DataFrame(
        {"arms_tiv_1_to_2_m": forward.to_numpy(), "arms_tiv_2_to_1_m": backward.to_numpy()},
        index=index,
    )


def dyads_table(raw: Path, iso3: list[str]) -> pd.DataFrame:
    """One row per unordered pair of countries (iso3_1 < iso3_2) with any data.

    Args:
        raw: The raw data folder.
        iso3: The countries (states_2014 codes).

    Returns:
        The dyads_2014 table.
    """
    codes = sorted(iso3)
    index = pd.MultiIndex.from_tuples(
        [(a, b) for i, a in enumerate(codes) for b in codes[i + 1 :]], names=["iso3_1", "iso3_2"]
    )
    table = pd.concat(
        [
            _trade(raw, index),
            _unga(raw, index),
            _alliances(raw, index),
            _distance(raw, index),
            _contiguity(raw, index),
            _arms_pairs(raw, index),
        ],
        axis=1,
    )
    numbers = table[
        [
            "trade_usd_bn",
            "unga_agree",
            "atop_defense",
            "distance_km",
            "contiguity",
            "arms_tiv_1_to_2_m",
            "arms_tiv_2_to_1_m",
        ]
    ]
    informative = (numbers.notna() & (numbers != 0)).any(axis=1)
    return table[informative].reset_index()


# ---------------------------------------------------------------------------- prices


def prices(raw: Path) -> pd.DataFrame:
    """EI annual average spot prices, 1990-2023 (US$/bbl, US$/MMBtu).

    Args:
        raw: The raw data folder.

    Returns:
        The prices table.
    """
    table = _raw(raw, "ei_prices.csv")[PRICE_COLUMNS]
    return table[table["year"].between(1990, 2023)].reset_index(drop=True)


# ------------------------------------------------------------------- actual_2015_2024


def actual_series(raw: Path, iso3: list[str]) -> pd.DataFrame:
    """2015-24 GDP, growth, population and military spending per country, plus EUU.

    Country milex follows the milex_history rule (SIPRI, else WDI share × GDP). For
    EUU, GDP and growth are the WDI EUU aggregate and milex the sum of the 27 members'
    SIPRI figures (``milex_source`` "sipri_eu27_sum"; empty if any member lacks one).

    Args:
        raw: The raw data folder.
        iso3: Countries to include.

    Returns:
        Long table iso3, year, gdp_usd_bn, growth_pct, population_m, milex_usd_bn,
        milex_source.
    """
    first, last = ACTUAL_YEARS
    grid = pd.MultiIndex.from_product(
        [[*iso3, "EUU"], range(first, last + 1)], names=["iso3", "year"]
    )
    wdi = _raw(raw, "wdi.csv").set_index(["iso3", "year"]).reindex(grid)
    milex = _milex_series(raw, iso3, first, last).set_index(["iso3", "year"])
    sipri = _raw(raw, "sipri_milex.csv")
    members = sipri[sipri["iso3"].isin(EU27) & sipri["year"].between(first, last)]
    members = members.dropna(subset=["milex_usd_m"])
    eu_sum = members.groupby("year")["milex_usd_m"].sum() / 1e3
    complete = members.groupby("year")["iso3"].nunique() == len(EU27)
    eu_sum = eu_sum[complete]
    eu = pd.DataFrame({"milex_usd_bn": eu_sum, "milex_source": "sipri_eu27_sum"})
    eu.index = pd.MultiIndex.from_product([["EUU"], eu.index], names=["iso3", "year"])
    milex = pd.concat([milex, eu]).reindex(grid)
    out = pd.DataFrame(
        {
            "gdp_usd_bn": wdi["gdp_usd"] / 1e9,
            "growth_pct": wdi["gdp_growth_pct"],
            "population_m": wdi["population"] / 1e6,
            "milex_usd_bn": milex["milex_usd_bn"],
            "milex_source": milex["milex_source"].fillna("missing"),
        },
        index=grid,
    )
    return out.reset_index().sort_values(["iso3", "year"]).reset_index(drop=True)


# ------------------------------------------------------------------- README (audit)


def _codes(codes) -> str:
    """A sorted, comma-separated list of codes (or "none")."""
    codes = sorted(codes)
    return ", ".join(codes) if codes else "none"


def _with_counts(counts: pd.Series) -> str:
    """``code (n), code (n)`` for a Series of counts indexed by code (or "none")."""
    return ", ".join(f"{code} ({n})" for code, n in counts.items()) or "none"


def _counts(series: pd.Series) -> str:
    """Value counts as ``value n; value n`` (empty values shown as "(none)")."""
    counts = series.astype("string").fillna("").replace("", "(none)").value_counts()
    return "; ".join(f"{value} {n}" for value, n in counts.items())


def _years(frame: pd.DataFrame, column: str) -> str:
    """The years where ``column`` is empty, as ranges (e.g. "1990–2004")."""
    years = frame.loc[frame[column].isna(), "year"].tolist()
    runs, start = [], years[0] if years else None
    for prev, year in zip(years, [*years[1:], None], strict=True):
        if year != prev + 1:
            runs.append(f"{start}–{prev}" if prev != start else str(start))
            start = year
    return ", ".join(runs) or "none"


def _gdp_share(states: pd.DataFrame, mask: pd.Series) -> str:
    """Share of the countries' summed GDP held by the rows in ``mask``, in percent."""
    return f"{100 * states.loc[mask, 'gdp_usd_bn'].sum() / states['gdp_usd_bn'].sum():.1f}%"


def _audit_countries(raw: Path, states: pd.DataFrame) -> dict[str, str]:
    """Which codes became countries and which did not."""
    wdi_codes = set(_raw(raw, "wdi.csv")["iso3"])
    cow = set(_raw(raw, "networks/states_cow_iso3.csv")["iso3"])
    known = (
        cow | set(_raw(raw, "sipri_milex.csv")["iso3"]) | set(_raw(raw, "ei_energy.csv")["iso3"])
    ) - set(AGGREGATES)
    iso3 = set(states["iso3"])
    return {
        "n_states": str(len(iso3)),
        "not_cow": _codes(iso3 - cow),
        "no_gdp": _codes((known & wdi_codes) - iso3),
        "not_wdi": _codes(known - wdi_codes),
    }


def _audit_states(raw: Path, states: pd.DataFrame) -> dict[str, str]:
    """Filled and empty values in states_2014."""
    s = states.set_index("iso3")
    iso3 = s.index.tolist()
    n_trend, n_sd = _growth(raw, iso3, TREND_YEARS).count(), _growth(raw, iso3, SD_YEARS).count()
    has_nmc = s["nmc_year"].notna()
    nmc_gaps = [
        f"{col}: {_codes(s.index[s[col].isna() & has_nmc])}"
        for col in NMC_COLUMNS.values()
        if (s[col].isna() & has_nmc).any()
    ]
    documented = {"growth_trend_pct", "growth_sd_pct", "nmc_year", *NMC_COLUMNS.values()}
    other = [
        f"{col}: {_codes(s.index[s[col].isna()])}"
        for col in s.select_dtypes("number")
        if col not in documented and s[col].isna().any()
    ]
    no_milex, no_energy = s["milex_source"] == "missing", s["energy_source"] == "missing"
    return {
        "milex_counts": _counts(s["milex_source"]),
        "milex_wdi": _codes(s.index[s["milex_source"] == "wdi_share"]),
        "milex_missing": _codes(s.index[no_milex]),
        "milex_missing_gdp": _gdp_share(s, no_milex),
        "energy_counts": _counts(s["energy_source"]),
        "energy_missing": _codes(s.index[no_energy]),
        "energy_missing_gdp": _gdp_share(s, no_energy),
        "energy_partial": _codes(s.index[no_energy & (s["energy_production_ej"] > 0)]),
        "trend_short": _with_counts(n_trend[n_trend < TREND_YEARS[1] - TREND_YEARS[0] + 1]),
        "sd_short": _with_counts(n_sd[n_sd < SD_YEARS[1] - SD_YEARS[0] + 1]),
        "trend_nan": _codes(s.index[s["growth_trend_pct"].isna()]),
        "sd_nan": _codes(s.index[s["growth_sd_pct"].isna()]),
        "nmc_none": _codes(s.index[~has_nmc]),
        "nmc_old": _codes(s.index[has_nmc & (s["nmc_year"] != YEAR)]),
        "nmc_gaps": "; ".join(nmc_gaps) or "none",
        "other_nan": "; ".join(other) or "none",
        "arms_exporters": str(int((s["arms_exports_tiv_m"] > 0).sum())),
        "arms_importers": str(int((s["arms_imports_tiv_m"] > 0).sum())),
    }


def _audit_history(history: pd.DataFrame, iso3: list[str]) -> dict[str, str]:
    """Coverage of milex_history."""
    span = HISTORY_YEARS[1] - HISTORY_YEARS[0] + 1
    years = history.groupby("iso3")["year"].count().reindex(sorted(iso3), fill_value=0)
    return {
        "history_rows": str(len(history)),
        "history_sources": _counts(history["milex_source"]),
        "history_full": str(int((years == span).sum())),
        "history_partial": _with_counts(years[(years > 0) & (years < span)]),
        "history_none": _codes(years.index[years == 0]),
    }


def _audit_dyads(raw: Path, dyads: pd.DataFrame, iso3: list[str]) -> dict[str, str]:
    """Coverage of dyads_2014."""
    codes = sorted(iso3)
    every = {(a, b) for i, a in enumerate(codes) for b in codes[i + 1 :]}
    listed = set(zip(dyads["iso3_1"], dyads["iso3_2"], strict=True))

    def without(column: str) -> str:
        has = dyads.loc[dyads[column].notna(), ["iso3_1", "iso3_2"]].stack()
        return _codes(set(codes) - set(has))

    def in_file(name: str) -> set[str]:
        frame = _raw(raw, name)
        return set(frame["iso3_1"]) | set(frame["iso3_2"])

    no_distance = dyads.loc[dyads["distance_km"].isna(), ["iso3_1", "iso3_2"]]
    return {
        "n_pairs": str(len(dyads)),
        "all_pairs": str(len(every)),
        "dropped": ", ".join(f"{a}–{b}" for a, b in sorted(every - listed)) or "none",
        "trade_counts": _counts(dyads["trade_source"]),
        "no_trade": without("trade_usd_bn"),
        "unga_counts": _counts(dyads["unga_year"]),
        "no_unga": without("unga_agree"),
        "atop_year": str(atop_year(raw)),
        "atop_pairs": str(int(dyads["atop_defense"].sum())),
        "distance_counts": _counts(dyads["distance_source"]),
        "not_cepii": _codes(set(codes) - in_file("networks/distance_cepii_geodist.csv")),
        "not_capdist": _codes(set(codes) - in_file("networks/distance_capitals_cow_2014.csv")),
        "no_distance": ", ".join(f"{a}–{b}" for a, b in no_distance.to_numpy()) or "none",
        "contiguity_counts": _counts(dyads["contiguity"]),
        "arms_pairs": str(
            int(((dyads["arms_tiv_1_to_2_m"] > 0) | (dyads["arms_tiv_2_to_1_m"] > 0)).sum())
        ),
    }


def _audit_actual(actual: pd.DataFrame, prices_table: pd.DataFrame) -> dict[str, str]:
    """Coverage of actual_2015_2024 and prices."""
    gaps = actual[actual["iso3"] != "EUU"]
    missing = [
        f"{col}: " + _with_counts(gaps[gaps[col].isna()].groupby("iso3").size())
        for col in ("gdp_usd_bn", "growth_pct", "population_m", "milex_usd_bn")
        if gaps[col].isna().any()
    ]
    years = prices_table["year"]
    return {
        "actual_rows": str(len(actual)),
        "actual_sources": _counts(actual["milex_source"]),
        "actual_missing": "; ".join(missing) or "none",
        "price_years": f"{years.min()}–{years.max()}",
        "ttf_missing": _years(prices_table, "ttf_usd_mmbtu"),
    }


def _column_table(rows: list[tuple[str, str, str, str]]) -> str:
    """A Markdown table of column, unit, rule and source."""
    lines = ["| column | unit | rule | source |", "|---|---|---|---|"]
    lines += [f"| {col} | {unit} | {rule} | {source} |" for col, unit, rule, source in rows]
    return "\n".join(lines)


def readme(raw: Path, tables: dict[str, pd.DataFrame]) -> str:
    """README.md: provenance, rules, units and the coverage found in this build.

    Args:
        raw: The raw data folder.
        tables: The derived tables by file stem.

    Returns:
        The README text.
    """
    iso3 = tables["states_2014"]["iso3"].tolist()
    facts = {
        **_audit_countries(raw, tables["states_2014"]),
        **_audit_states(raw, tables["states_2014"]),
        **_audit_history(tables["milex_history"], iso3),
        **_audit_dyads(raw, tables["dyads_2014"], iso3),
        **_audit_actual(tables["actual_2015_2024"], tables["prices"]),
        "sources_table": "\n".join(f"| {key} | {name} | `{path}` |" for key, name, path in SOURCES),
        "states_columns": _column_table(STATE_COLUMNS),
        "dyad_columns": _column_table(DYAD_COLUMNS),
    }
    return README.format(**facts)


# --------------------------------------------------------------------------- summary


def summary(raw: Path, states: pd.DataFrame, dyads: pd.DataFrame) -> str:
    """Sanity figures to compare with published totals.

    Args:
        raw: The raw data folder.
        states: The states_2014 table.
        dyads: The dyads_2014 table.

    Returns:
        A few printable lines.
    """
    wdi = _raw(raw, "wdi.csv")
    world = wdi.loc[(wdi["iso3"] == "WLD") & (wdi["year"] == YEAR), "gdp_usd"].iloc[0] / 1e9
    s = states.set_index("iso3")
    total = s["gdp_usd_bn"].sum()
    lines = [
        f"{len(s)} countries, {len(dyads)} pairs",
        f"GDP 2014: sum {total:,.0f} US$ bn vs WDI WLD {world:,.0f} "
        f"({100 * total / world:.1f}% covered)",
    ]
    for label, rows in (
        ("USA", ["USA"]),
        ("CHN", ["CHN"]),
        ("RUS", ["RUS"]),
        ("EU-27", list(EU27)),
    ):
        r = s.loc[rows]
        lines.append(
            f"  {label:6s} GDP {r['gdp_usd_bn'].sum():9,.0f} bn  milex "
            f"{r['milex_usd_bn'].sum():6.1f} bn  energy use "
            f"{r['energy_consumption_ej'].sum():5.1f} EJ"
        )
    pairs = dyads.set_index(["iso3_1", "iso3_2"])
    trade, source = pairs["trade_usd_bn"], pairs["trade_source"]
    eu_rus = [tuple(sorted((c, "RUS"))) for c in EU27]
    lines.append(
        f"  trade 2014: USA-CHN {trade[('CHN', 'USA')]:.1f} bn "
        f"({source[('CHN', 'USA')]}), CHN-RUS {trade[('CHN', 'RUS')]:.1f} bn "
        f"({source[('CHN', 'RUS')]}), EU-27 members with RUS "
        f"{trade.reindex(eu_rus).sum():.1f} bn "
        f"({_counts(source.reindex(eu_rus))})"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Write every packaged table and README.md from the raw data folder.

    Args:
        argv: Command-line arguments (defaults to ``sys.argv[1:]``).
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path, help="raw data folder (wdi.csv, networks/, ...)")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: here)")
    args = parser.parse_args(argv)
    raw = args.raw.resolve()
    states = states_table(raw)
    iso3 = states["iso3"].tolist()
    tables = {
        "states_2014": states,
        "milex_history": milex_history(raw, iso3),
        "dyads_2014": dyads_table(raw, iso3),
        "prices": prices(raw),
        "actual_2015_2024": actual_series(raw, iso3),
    }
    for stem, frame in tables.items():
        _write(frame, args.out, f"{stem}.csv")
        print(f"{stem}.csv: {len(frame)} rows")
    (args.out / "README.md").write_text(readme(raw, tables))
    print(summary(raw, states, tables["dyads_2014"]))


# ------------------------------------------------------------------- README content

SOURCES = [
    ("WDI", "World Bank, World Development Indicators (CC BY 4.0), vintage 2026-07", "wdi.csv"),
    ("SIPRI-milex", "SIPRI Military Expenditure Database, 2025 release", "sipri_milex.csv"),
    (
        "EI",
        "Energy Institute, Statistical Review of World Energy 2024",
        "ei_energy.csv`, `ei_prices.csv",
    ),
    (
        "COW-NMC",
        "Correlates of War National Material Capabilities v6.0 (Singer, Bremer & "
        "Stuckey 1972; Greig & Enterline 2021)",
        "cow_nmc_v6.csv",
    ),
    (
        "COW-states",
        "Correlates of War state list (COW code ↔ ISO3)",
        "networks/states_cow_iso3.csv",
    ),
    ("DOTS", "IMF Direction of Trade Statistics", "networks/trade_imf_dots_2013_2014.csv"),
    (
        "COW-trade",
        "Correlates of War Trade v4.0 (Barbieri & Keshk)",
        "networks/trade_cow_v4_2013_2014.csv",
    ),
    (
        "ATOP",
        "Alliance Treaty Obligations and Provisions v5.1 (Leeds et al.)",
        "networks/alliances_atop_v5_1_2000_2014.csv",
    ),
    (
        "UNGA",
        "UN General Assembly votes (Voeten, CC0); agreement recomputed from roll calls",
        "networks/unga_agreement_2013_2014.csv",
    ),
    ("SIPRI-arms", "SIPRI Arms Transfers Database", "networks/arms_sipri_tiv_2000_2014.csv"),
    ("CEPII", "CEPII GeoDist", "networks/distance_cepii_geodist.csv"),
    (
        "COW-capdist",
        "COW state list capitals / peacesciencer, capital-to-capital distance",
        "networks/distance_capitals_cow_2014.csv",
    ),
    (
        "COW-contig",
        "Correlates of War Direct Contiguity v3.2",
        "networks/contiguity_cow_direct_2014.csv",
    ),
]

_TIV = "TIV, US$ m at constant 1990 prices, per year"
STATE_COLUMNS = [
    ("iso3", "", "ISO 3166 alpha-3", "WDI"),
    ("name", "", "WDI country name", "WDI"),
    ("gdp_usd_bn", "US$ bn, current", "GDP (current US$) 2014 / 1e9", "WDI"),
    ("growth_trend_pct", "% a year", "mean of real GDP growth 2005–2014 (years available)", "WDI"),
    (
        "growth_sd_pct",
        "pct. points",
        "sample standard deviation (n−1) of real GDP growth 1995–2014 (years available)",
        "WDI",
    ),
    ("population_m", "million", "population 2014 / 1e6", "WDI"),
    (
        "milex_usd_bn",
        "US$ bn, current",
        "SIPRI 2014 (US$ m) / 1000; else WDI military expenditure % of GDP × GDP / 100; else 0.0",
        "SIPRI-milex, WDI",
    ),
    ("milex_source", "", '"sipri", "wdi_share" or "missing" (value 0.0)', ""),
    ("energy_consumption_ej", "EJ", "primary energy consumption 2014; 0.0 if EI has none", "EI"),
    (
        "energy_production_ej",
        "EJ",
        "oil_production_mt × 0.041868 + gas_production_ej + "
        "coal_production_ej + nuclear_ej + renewables_ej, 2014; a fuel EI leaves empty counts "
        "as 0, so the sum is then a lower bound",
        "EI",
    ),
    ("gas_production_bcm", "bcm (40 MJ/m³)", "2014; 0.0 if missing", "EI"),
    ("gas_consumption_bcm", "bcm (40 MJ/m³)", "2014; 0.0 if missing", "EI"),
    ("oil_production_mt", "Mt", "2014; 0.0 if missing", "EI"),
    (
        "energy_source",
        "",
        '"ei" where EI publishes 2014 primary energy consumption, else "missing"',
        "",
    ),
    ("milper_k", "thousand personnel", "NMC `milper` (military personnel)", "COW-NMC"),
    ("irst_kt", "thousand tons", "NMC `irst` (iron and steel production)", "COW-NMC"),
    (
        "pec_kt_coal",
        "thousand coal-ton equivalents",
        "NMC `pec` (primary energy consumption)",
        "COW-NMC",
    ),
    ("tpop_k", "thousand", "NMC `tpop` (total population)", "COW-NMC"),
    ("upop_k", "thousand", "NMC `upop` (urban population)", "COW-NMC"),
    (
        "cinc",
        "share of the world, 0–1",
        "NMC `cinc` (Composite Index of National Capability)",
        "COW-NMC",
    ),
    ("nmc_year", "", "NMC year used: 2014, else the latest year ≤ 2014; empty if none", "COW-NMC"),
    (
        "arms_exports_tiv_m",
        _TIV,
        "the state's deliveries 2010–2014, summed and divided by 5, "
        "to every recipient (states, non-state groups, organisations, unknown, Taiwan)",
        "SIPRI-arms",
    ),
    (
        "arms_imports_tiv_m",
        _TIV,
        "deliveries to the state 2010–2014, summed and divided by "
        '5, from every supplier (incl. "Unknown supplier(s)"); deliveries to non-state groups '
        "on its territory excluded",
        "SIPRI-arms",
    ),
    ("eu27", "0/1", "EU-27 member as of 2020", ""),
]

DYAD_COLUMNS = [
    ("iso3_1, iso3_2", "", "the pair, iso3_1 < iso3_2", ""),
    (
        "trade_usd_bn",
        "US$ bn, current",
        "goods trade both ways: DOTS 2014 "
        "`total_trade_musd` / 1000 (importer's CIF figure preferred, else exporter's FOB); "
        "else DOTS 2013; else COW-trade 2014 `total_trade_musd` / 1000 (sum of the two "
        "unsmoothed import flows, a missing flow counting as 0); else COW-trade 2013; else "
        "empty",
        "DOTS, COW-trade",
    ),
    ("trade_source", "", '"dots2014", "dots2013", "cow2014", "cow2013" or ""', ""),
    (
        "unga_agree",
        "0–1",
        "UNGA voting agreement 2014 (yes 1, abstain 0.5, no 0), else "
        "2013; empty if none. UNGA's code `YUG` (COW's abbreviation for Serbia) is mapped to "
        "SRB via COW-states",
        "UNGA",
    ),
    ("unga_year", "", "year used for unga_agree", ""),
    (
        "atop_defense",
        "0/1",
        "ATOP defence pledge in the ATOP year below; pairs absent from ATOP are 0",
        "ATOP",
    ),
    (
        "distance_km",
        "km",
        "CEPII population-weighted distance `distw_km`; else CEPII "
        "capital distance `distcap_km`; else COW capital-to-capital great-circle "
        "`capdist_km`",
        "CEPII, COW-capdist",
    ),
    ("distance_source", "", '"cepii_distw", "cepii_distcap", "cow_capdist" or ""', ""),
    (
        "contiguity",
        "0–5",
        "COW direct contiguity type 2014 (1 land or river border; 2–5 "
        "separated by ≤ 12, 24, 150, 400 miles of water); 0 if not listed",
        "COW-contig",
    ),
    (
        "arms_tiv_1_to_2_m",
        _TIV,
        "SIPRI deliveries from iso3_1 to iso3_2 in 2010–2014, summed and divided by 5; 0.0 if none",
        "SIPRI-arms",
    ),
    ("arms_tiv_2_to_1_m", _TIV, "the same from iso3_2 to iso3_1", "SIPRI-arms"),
]

README = """# sim/data — the packaged 2014 world

Compact tables derived from public data by `scripts/build_data.py`. They are committed
with the package; `sim` reads only these files at run time, never the raw data. This
README is written by the same script, so its coverage lists match the tables.

More tables sit beside them: population_wpp.csv (UN WPP 2022, written by
`scripts/build_population.py`) and ssp2_gdp.csv (SSP2 GDP, written by
`scripts/build_ssp2.py`), described with their provenance in
[projections.md](projections.md); and two written by `sim calibrate`
(docs/calibration.md): growth_calibration.csv, each row's fitted growth of output per
worker in the record years 2015-2024, and calibration_world.csv, every country of
`world_all.yaml` on its central path against WDI and SSP2.

milex_burden.csv, written by `scripts/build_burden.py` from WDI (`wdi.csv`, military
expenditure % of GDP), holds each country's highest military share of GDP in 1990–2014
(`milex_share_max_pct`, its year `max_year`, the years WDI has `years`) and the cap the
model keeps spending under, `milex_share_cap_pct`: that highest share, or the median of
every country's highest share (2.8882%) where larger or where the country has no record
(docs/model.md#military).

Two folders hold the behavioural record and what is estimated on it: `behaviour/`, the
dyad-year and state-year record up to 2014 (COW MID, Thompson–Dreyer rivalries, V-Dem,
ATOP, NMC, distances, contiguity, UN ideal points and voting agreement, SIPRI arms
transfers, TIES sanctions), written by
`scripts/build_behaviour.py` and described with its provenance in
[behaviour/README.md](behaviour/README.md); and `estimated/`, the coefficient tables
written by `sim estimate` (docs/estimation.md).

Regenerate from the repository root, given the raw data folder (described in its
SOURCES.md):

    uv run python scripts/build_data.py PATH/TO/shared/data

The script prints row counts and sanity figures (world GDP coverage; GDP, military
spending and energy use of USA, CHN, RUS and the EU-27; USA–CHN, CHN–RUS and EU-27–RUS
trade). Floats are rounded to 6 significant digits; tables are sorted by iso3. Every
number is copied or computed from the raw files by the rules below: nothing is estimated
or typed in by hand, and every gap is left empty or set to 0 and flagged.

## Sources (cite the original publisher)

| key | dataset | raw file |
|---|---|---|
{sources_table}

## Which countries

A *country* is a WDI code with a 2014 WDI GDP that the COW state list, SIPRI or EI also
uses, other than the World Bank aggregates EUU and WLD (SIPRI has EUU rows for 2022–24,
which are ignored). That gives **{n_states} countries**.

- Kept although not a COW state: {not_cow} (Hong Kong SAR: WDI and EI report it apart
  from China; it has no COW NMC row, no UNGA vote and no ATOP pledge).
- Left out for lack of a 2014 WDI GDP: {no_gdp}.
- Left out because WDI has no rows for it at all: {not_wdi} (Taiwan: SIPRI, EI, COW and
  the pair files cover it, but without a WDI GDP it is not a country here; its arms
  imports still count in its suppliers' arms_exports_tiv_m).
- EU-27 members (column `eu27`, membership as of 2020): AUT BEL BGR HRV CYP CZE DNK EST
  FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU SVK SVN ESP SWE. The EU as
  one actor (`EUU`) has no row in states_2014.csv or dyads_2014.csv: aggregate its
  members. Only actual_2015_2024.csv has EUU rows.

## states_2014.csv — one row per country, year 2014

{states_columns}

NMC rows are matched by COW state abbreviation (`stateabb`) through COW-states (COW's
`MNG` is Montenegro, not Mongolia's ISO3 code; the table handles this). NMC's
missing-value code −9 becomes an empty cell.

SIPRI's TIV (trend-indicator value) is a *volume* index of major-arms deliveries in
millions of constant-1990 US$, not a price, sales value or contract value: do not add it
to current-dollar figures without saying so. SIPRI military expenditure and WDI GDP are
current US$ at market exchange rates.

### Missing and filled values in states_2014.csv

- milex_source: {milex_counts}. Filled from the WDI share: {milex_wdi} (WDI's
  military-expenditure indicator is taken from SIPRI, so it fills no gap here). No SIPRI
  2014 figure, so milex_usd_bn is 0.0 ("missing"; {milex_missing_gdp} of the countries'
  GDP): {milex_missing}.
- energy_source: {energy_counts}. EI lists about 100 countries individually; where
  energy_source is "missing" ({energy_missing_gdp} of the countries' GDP), energy and gas
  consumption and every production figure EI lacks are 0.0: {energy_missing}.
  Of these, EI still publishes some 2014 production, which is kept (so
  energy_production_ej > 0 although consumption is 0.0): {energy_partial}.
- Growth windows with fewer WDI years than the full window (years used in brackets):
  2005–2014: {trend_short}; 1995–2014: {sd_short}. growth_sd_pct empty (fewer than two
  years): {sd_nan}. growth_trend_pct empty: {trend_nan}.
- COW NMC: no NMC row, so every NMC column is empty: {nmc_none}. NMC year other than
  2014: {nmc_old}. Components coded −9 (empty): {nmc_gaps}.
- Any other empty numeric field: {other_nan}.
- {arms_exporters} countries have arms exports > 0 and {arms_importers} arms imports > 0;
  the others have 0.0 (no SIPRI delivery recorded in 2010–2014).

## milex_history.csv — iso3, year, milex_usd_bn, milex_source; 1990–2014

Military expenditure in US$ bn at current prices and exchange rates (SIPRI US$ m / 1000);
where SIPRI has no value for a year, WDI military expenditure % of GDP × WDI GDP / 100
(`milex_source` "wdi_share"); the year is skipped when neither exists. Used at run time
for the initial capability stock (perpetual inventory), so a country's missing years
count as no spending. {history_rows} rows; sources: {history_sources}. All 25 years
present for {history_full} countries. Fewer years (count in brackets):
{history_partial}. No row at all: {history_none}.

## dyads_2014.csv — one row per unordered pair of countries

Every pair of the countries above with at least one field non-zero or present:
{n_pairs} of {all_pairs} possible pairs. Each raw pair file was normalised to
iso3_1 < iso3_2 before matching (the COW files list pairs in either order); no pair
appeared twice in a file.

{dyad_columns}

SIPRI-arms recipients whose names end in `*` are non-state armed groups (e.g.
"Ukraine Rebels*", "Hezbollah (Lebanon)*"); the raw file gives them the iso3 of the
country they operate in. They are left out of the pair flows and of arms_imports_tiv_m
but count in the supplier's arms_exports_tiv_m. `**` recipients (NATO, UN, AU, OSCE)
have no iso3.

Coverage: trade_source {trade_counts}; countries without any trade figure: {no_trade}.
unga_year {unga_counts}; countries without any UNGA figure: {no_unga}. ATOP year used:
{atop_year}; {atop_pairs} pairs have a defence pledge. distance_source
{distance_counts}; countries not in CEPII: {not_cepii}; not in COW-capdist:
{not_capdist}; pairs without a distance: {no_distance}. Pairs with no field at all,
hence not listed: {dropped}. contiguity {contiguity_counts}. {arms_pairs} pairs have
arms deliveries in 2010–2014.

## prices.csv — year, brent_usd_bbl, ttf_usd_mmbtu, japan_lng_usd_mmbtu, henry_hub_usd_mmbtu

Annual average spot prices, {price_years}, copied from EI (`ei_prices.csv`): Brent crude
in US$/bbl; Netherlands TTF gas, Japan LNG and US Henry Hub gas in US$/MMBtu; current
US$. Empty where EI has no price (TTF: {ttf_missing}).

## actual_2015_2024.csv

Columns iso3, year, gdp_usd_bn, growth_pct, population_m, milex_usd_bn, milex_source.

The realised path after the start year, for calibration and backtests only. One row per
country and year 2015–2024, plus `EUU`:

- gdp_usd_bn: WDI GDP (current US$) / 1e9; growth_pct: WDI real GDP growth %. For EUU
  the WDI EUU (EU-27) aggregate.
- population_m: WDI population / 1e6 (EUU: the WDI EU-27 aggregate).
- milex_usd_bn: the milex_history rule (SIPRI, else WDI share × GDP; milex_source
  "sipri", "wdi_share", or "missing" with an empty value). For EUU the sum of the 27
  members' SIPRI figures ("sipri_eu27_sum", only for years where all 27 have one;
  SIPRI's own EUU rows for EU institutions are not added).

{actual_rows} rows; milex_source {actual_sources}. Empty cells (country and number of
years): {actual_missing}.
"""


if __name__ == "__main__":
    main()
