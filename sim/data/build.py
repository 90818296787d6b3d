"""Derive the packaged 2014 world from the raw public data (a developer's script).

Run ``uv run python -m sim.data.build PATH/TO/shared/data``. It reads the raw
tables described in that folder's SOURCES.md and writes the compact CSV files
beside this script, which are committed; ``sim`` never reads the raw folder at
run or test time. Every number comes from a raw table by a rule stated in
sim/data/README.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).parent
YEAR = 2014
EU27 = ("AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL "
        "PRT ROU SVK SVN ESP SWE").split()
MT_OIL_TO_EJ = 0.041868  # SOURCES.md: oil Mt × 0.041868 EJ/Mt


def _round(frame: pd.DataFrame, digits: int = 6) -> pd.DataFrame:
    out = frame.copy()
    for col in out.select_dtypes("float").columns:
        values = out[col].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            magnitude = np.floor(np.log10(np.abs(values)))
        scale = np.where(np.isfinite(magnitude), 10.0 ** (digits - 1 - magnitude), 1.0)
        out[col] = np.where(np.isfinite(values) & (values != 0),
                            np.round(values * scale) / scale, values)
    return out


def countries(raw: Path) -> pd.DataFrame:
    """Countries with a 2014 WDI GDP that the COW state list also knows (no aggregates)."""
    wdi = pd.read_csv(raw / "wdi.csv")
    cow = pd.read_csv(raw / "networks" / "states_cow_iso3.csv")
    known = set(cow["iso3"]) | set(pd.read_csv(raw / "sipri_milex.csv")["iso3"]) | set(
        pd.read_csv(raw / "ei_energy.csv")["iso3"])
    known -= {"EUU", "WLD"}  # World Bank aggregates that other tables also use
    year = wdi[(wdi["year"] == YEAR) & wdi["gdp_usd"].notna() & wdi["iso3"].isin(known)]
    return year[["iso3", "name"]].sort_values("iso3").reset_index(drop=True)


def economy(raw: Path, iso3: pd.Series) -> pd.DataFrame:
    """GDP, trend growth (2005-14 mean), growth s.d. (1995-2014), population (WDI)."""
    wdi = pd.read_csv(raw / "wdi.csv")
    wdi = wdi[wdi["iso3"].isin(iso3)]
    now = wdi[wdi["year"] == YEAR].set_index("iso3")
    trend = wdi[wdi["year"].between(2005, 2014)].groupby("iso3")["gdp_growth_pct"].mean()
    sd = wdi[wdi["year"].between(1995, 2014)].groupby("iso3")["gdp_growth_pct"].std()
    return pd.DataFrame({
        "gdp_usd_bn": now["gdp_usd"] / 1e9,
        "growth_trend_pct": trend,
        "growth_sd_pct": sd,
        "population_m": now["population"] / 1e6,
        "milex_share_gdp_pct": now["military_share_gdp_pct"],
    }).reindex(iso3)


def milex_history(raw: Path, iso3: pd.Series) -> pd.DataFrame:
    """Military spending 1990-2014, US$ bn: SIPRI, else WDI share × GDP."""
    sipri = pd.read_csv(raw / "sipri_milex.csv")
    sipri = sipri[sipri["iso3"].isin(iso3) & sipri["year"].between(1990, YEAR)]
    sipri = sipri.dropna(subset=["milex_usd_m"]).set_index(["iso3", "year"])["milex_usd_m"] / 1e3
    wdi = pd.read_csv(raw / "wdi.csv")
    wdi = wdi[wdi["iso3"].isin(iso3) & wdi["year"].between(1990, YEAR)].set_index(["iso3", "year"])
    share = (wdi["military_share_gdp_pct"] / 100 * wdi["gdp_usd"] / 1e9).dropna()
    both = pd.DataFrame({"sipri": sipri, "wdi": share})
    out = pd.DataFrame({
        "milex_usd_bn": both["sipri"].fillna(both["wdi"]),
        "source": np.where(both["sipri"].notna(), "sipri", "wdi_share"),
    }).dropna(subset=["milex_usd_bn"])
    return out.reset_index().sort_values(["iso3", "year"])


def energy(raw: Path, iso3: pd.Series) -> pd.DataFrame:
    """2014 primary energy consumption and production (EJ), gas (bcm), oil (Mt) from EI."""
    ei = pd.read_csv(raw / "ei_energy.csv")
    ei = ei[(ei["year"] == YEAR) & ei["iso3"].isin(iso3)].set_index("iso3")
    parts = ei[["gas_production_ej", "coal_production_ej", "nuclear_ej", "renewables_ej"]]
    production = parts.fillna(0).sum(axis=1) + ei["oil_production_mt"].fillna(0) * MT_OIL_TO_EJ
    out = pd.DataFrame({
        "energy_consumption_ej": ei["primary_energy_ej"],
        "energy_production_ej": production,
        "gas_production_bcm": ei["gas_production_bcm"],
        "gas_consumption_bcm": ei["gas_consumption_bcm"],
        "oil_production_mt": ei["oil_production_mt"],
    }).reindex(iso3)
    out["energy_source"] = np.where(out["energy_consumption_ej"].notna(), "ei", "missing")
    return out


def capabilities(raw: Path, iso3: pd.Series) -> pd.DataFrame:
    """COW NMC v6.0 components for 2014 (latest year ≤ 2014 where 2014 is missing)."""
    nmc = pd.read_csv(raw / "cow_nmc_v6.csv")
    cow = pd.read_csv(raw / "networks" / "states_cow_iso3.csv")[["ccode", "iso3"]]
    nmc = nmc[nmc["year"] <= YEAR].merge(cow, on="ccode")
    latest = nmc.sort_values("year").groupby("iso3").tail(1).set_index("iso3")
    return pd.DataFrame({
        "milper_k": latest["milper"], "irst_kt": latest["irst"], "pec_kt_coal": latest["pec"],
        "tpop_k": latest["tpop"], "upop_k": latest["upop"], "cinc": latest["cinc"],
        "nmc_year": latest["year"],
    }).reindex(iso3).replace(-9, np.nan)


def arms_pairs(raw: Path) -> pd.DataFrame:
    """Mean yearly SIPRI TIV (US$ m, 1990 prices) supplier→recipient over 2010-14."""
    arms = pd.read_csv(raw / "networks" / "arms_sipri_tiv_2000_2014.csv")
    arms = arms[arms["year"].between(2010, YEAR)].dropna(subset=["supplier_iso3",
                                                                 "recipient_iso3"])
    return (arms.groupby(["supplier_iso3", "recipient_iso3"])["tiv_musd"].sum() / 5).rename(
        "tiv_m").reset_index()


def states_table(raw: Path) -> pd.DataFrame:
    """One row per country: everything the simulated world is built from."""
    base = countries(raw)
    iso3 = base["iso3"]
    table = base.set_index("iso3")
    table = table.join(economy(raw, iso3))
    milex = milex_history(raw, iso3)
    now = milex[milex["year"] == YEAR].set_index("iso3")
    table["milex_usd_bn"] = now["milex_usd_bn"].reindex(iso3).fillna(0.0)
    table["milex_source"] = now["source"].reindex(iso3).fillna("missing")
    table = table.drop(columns="milex_share_gdp_pct")
    table = table.join(energy(raw, iso3))
    for col in ("energy_consumption_ej", "energy_production_ej", "gas_production_bcm",
                "gas_consumption_bcm", "oil_production_mt"):
        table[col] = table[col].fillna(0.0)
    table = table.join(capabilities(raw, iso3))
    arms = arms_pairs(raw)
    table["arms_exports_tiv_m"] = arms.groupby("supplier_iso3")["tiv_m"].sum().reindex(
        iso3).fillna(0.0)
    table["arms_imports_tiv_m"] = arms.groupby("recipient_iso3")["tiv_m"].sum().reindex(
        iso3).fillna(0.0)
    table["eu27"] = table.index.isin(EU27).astype(int)
    return table.reset_index()


def _unordered(frame: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    swap = frame[a] > frame[b]
    frame = frame.copy()
    frame.loc[swap, [a, b]] = frame.loc[swap, [b, a]].to_numpy()
    return frame


def dyads_table(raw: Path, iso3: pd.Series) -> pd.DataFrame:
    """One row per unordered country pair (iso3_1 < iso3_2)."""
    net = raw / "networks"
    keep = set(iso3)
    pairs = pd.MultiIndex.from_tuples(
        [(a, b) for i, a in enumerate(iso3) for b in iso3[i + 1:]], names=["iso3_1", "iso3_2"])
    out = pd.DataFrame(index=pairs)

    dots = _unordered(pd.read_csv(net / "trade_imf_dots_2013_2014.csv"), "iso3_1", "iso3_2")
    dots = dots.groupby(["year", "iso3_1", "iso3_2"])["total_trade_musd"].sum(min_count=1)
    cow = _unordered(pd.read_csv(net / "trade_cow_v4_2013_2014.csv"), "iso3_1", "iso3_2")
    cow = cow.groupby(["year", "iso3_1", "iso3_2"])["total_trade_musd"].sum(min_count=1)
    out["trade_usd_bn"] = np.nan
    out["trade_source"] = ""
    for label, series in (("dots2014", dots.xs(2014)), ("dots2013", dots.xs(2013)),
                          ("cow2014", cow.xs(2014) if 2014 in cow.index.levels[0] else None),
                          ("cow2013", cow.xs(2013))):
        if series is None:
            continue
        fill = out["trade_usd_bn"].isna() & series.reindex(out.index).notna()
        out.loc[fill, "trade_usd_bn"] = series.reindex(out.index)[fill] / 1e3
        out.loc[fill, "trade_source"] = label

    unga = _unordered(pd.read_csv(net / "unga_agreement_2013_2014.csv"), "iso3_1", "iso3_2")
    unga = unga.groupby(["year", "iso3_1", "iso3_2"])["agree"].mean()
    out["unga_agree"] = unga.xs(2014).reindex(out.index).fillna(unga.xs(2013).reindex(out.index))

    atop = _unordered(pd.read_csv(net / "alliances_atop_v5_1_2000_2014.csv"), "iso3_1", "iso3_2")
    atop = atop[atop["year"] == atop["year"].max()]
    atop = atop.groupby(["iso3_1", "iso3_2"])["atop_defense"].max()
    out["atop_defense"] = atop.reindex(out.index).fillna(0).astype(int)

    cepii = _unordered(pd.read_csv(net / "distance_cepii_geodist.csv"), "iso3_1", "iso3_2")
    for col in ("distw_km", "distcap_km"):
        cepii[col] = pd.to_numeric(cepii[col], errors="coerce")
    cepii = cepii.groupby(["iso3_1", "iso3_2"]).first()
    capdist = _unordered(pd.read_csv(net / "distance_capitals_cow_2014.csv"), "iso3_1", "iso3_2")
    capdist = capdist.groupby(["iso3_1", "iso3_2"])["capdist_km"].first()
    distance = cepii["distw_km"].reindex(out.index)
    distance = distance.fillna(cepii["distcap_km"].reindex(out.index))
    out["distance_km"] = distance.fillna(capdist.reindex(out.index))

    contig = _unordered(pd.read_csv(net / "contiguity_cow_direct_2014.csv"), "iso3_1", "iso3_2")
    contig = contig.groupby(["iso3_1", "iso3_2"])["conttype"].min()
    out["contiguity"] = contig.reindex(out.index).fillna(0).astype(int)

    arms = arms_pairs(raw).set_index(["supplier_iso3", "recipient_iso3"])["tiv_m"]
    forward = arms.reindex(out.index)
    backward = arms.reindex(pd.MultiIndex.from_arrays(
        [out.index.get_level_values(1), out.index.get_level_values(0)]))
    out["arms_tiv_1_to_2_m"] = forward.fillna(0.0).to_numpy()
    out["arms_tiv_2_to_1_m"] = backward.fillna(0.0).to_numpy()
    out = out.reset_index()
    return out[out["iso3_1"].isin(keep) & out["iso3_2"].isin(keep)]


def actual_series(raw: Path, iso3: pd.Series) -> pd.DataFrame:
    """2015-2024 GDP, growth and military spending, for calibration and backtests."""
    wdi = pd.read_csv(raw / "wdi.csv")
    wdi = wdi[wdi["year"].between(2015, 2024) & wdi["iso3"].isin([*iso3, "EUU"])]
    sipri = pd.read_csv(raw / "sipri_milex.csv")
    sipri = sipri[sipri["year"].between(2015, 2024)]
    eu = sipri[sipri["iso3"].isin(EU27)].groupby("year")["milex_usd_m"].sum(min_count=1)
    sipri = pd.concat([sipri[["iso3", "year", "milex_usd_m"]],
                       eu.rename("milex_usd_m").reset_index().assign(iso3="EUU")])
    out = wdi[["iso3", "year", "gdp_usd", "gdp_growth_pct"]].merge(
        sipri, on=["iso3", "year"], how="left")
    return pd.DataFrame({
        "iso3": out["iso3"], "year": out["year"], "gdp_usd_bn": out["gdp_usd"] / 1e9,
        "growth_pct": out["gdp_growth_pct"], "milex_usd_bn": out["milex_usd_m"] / 1e3,
    }).sort_values(["iso3", "year"])


def prices(raw: Path) -> pd.DataFrame:
    """EI annual average spot prices, 1990-2023."""
    return pd.read_csv(raw / "ei_prices.csv")[["year", "brent_usd_bbl", "ttf_usd_mmbtu",
                                              "japan_lng_usd_mmbtu", "henry_hub_usd_mmbtu"]]


def summary(states: pd.DataFrame, dyads: pd.DataFrame, raw: Path) -> str:
    """A few sanity figures to compare with published totals."""
    wdi = pd.read_csv(raw / "wdi.csv")
    world = wdi[(wdi["iso3"] == "WLD") & (wdi["year"] == YEAR)]["gdp_usd"].iloc[0] / 1e9
    s = states.set_index("iso3")
    eu = s[s["eu27"] == 1]
    lines = [f"{len(states)} countries, {len(dyads)} pairs; GDP covered "
             f"{s['gdp_usd_bn'].sum():,.0f} of WDI world {world:,.0f} US$ bn"]
    for label, rows in (("USA", s.loc[["USA"]]), ("CHN", s.loc[["CHN"]]),
                        ("RUS", s.loc[["RUS"]]), ("EU-27", eu)):
        lines.append(f"  {label}: GDP {rows['gdp_usd_bn'].sum():,.0f} bn, milex "
                     f"{rows['milex_usd_bn'].sum():,.1f} bn, energy "
                     f"{rows['energy_consumption_ej'].sum():.1f} EJ")
    d = dyads.set_index(["iso3_1", "iso3_2"])["trade_usd_bn"]
    eu_rus = dyads[((dyads["iso3_1"] == "RUS") & dyads["iso3_2"].isin(EU27))
                   | ((dyads["iso3_2"] == "RUS") & dyads["iso3_1"].isin(EU27))]
    lines.append(f"  trade CHN-USA {d[('CHN', 'USA')]:.1f}, CHN-RUS {d[('CHN', 'RUS')]:.1f}, "
                 f"EU-27-RUS {eu_rus['trade_usd_bn'].sum():.1f} US$ bn")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Write every packaged table from the raw data folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path, help="folder with wdi.csv, sipri_milex.csv, ...")
    raw = parser.parse_args(argv).raw
    states = states_table(raw)
    dyads = dyads_table(raw, states["iso3"])
    _round(states).to_csv(OUT / "states_2014.csv", index=False)
    _round(milex_history(raw, states["iso3"])).to_csv(OUT / "milex_history.csv", index=False)
    _round(dyads).to_csv(OUT / "dyads_2014.csv", index=False)
    _round(actual_series(raw, states["iso3"])).to_csv(OUT / "actual_2015_2024.csv", index=False)
    prices(raw).to_csv(OUT / "prices.csv", index=False)
    print(summary(states, dyads, raw))


if __name__ == "__main__":
    main()
