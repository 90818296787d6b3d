"""Military capability: a perpetual-inventory stock of spending and arms imports.

K_t+1 = (1 - δ) K_t + M_t + φ · A_t, with M_t = m_i,t · Y_t and A_t the arms
imports. The military share of GDP m_i,t is the 2014 share, raised (or lowered)
in proportion to the change in the largest threat the state faces since 2014:
m_i,t = m_i,2014 · max(0, 1 + r (θ_i,t - θ_i,2014)), r = ``threat_response``. The initial stock
sums 1990-2014 spending with the same depreciation.

References:
    Correlates of War NMC (Singer, Bremer & Stuckey 1972) for the idea of capability;
    perpetual inventory as in national accounts (OECD 2009, *Measuring Capital*).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.world_state import FIXED, STATE, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

STATE = {
    "milex_share0": Field(STATE, "military spending's share of GDP in the start year", FIXED),
    "milex_share": Field(STATE, "military spending's share of GDP this year", physical=True),
    "milex": Field(STATE, "military spending, US$ bn", physical=True),
    "capability": Field(STATE, "accumulated military capability stock, US$ bn", physical=True),
}


def start(world: Ensemble, starts: list[StartingWorld]) -> None:
    """Start-year spending, its share of GDP, and the capability stock of 1990-2014 spending."""
    s = world.state
    milex = [start.attributes["milex_usd_bn"] for start in starts]
    stack(s, "milex", milex)
    s.milex_share = np.divide(s.milex, s.gdp0, out=np.zeros_like(s.milex), where=s.gdp0 > 0)
    s.milex_share0 = s.milex_share.copy()
    stack(s, "capability", [start.capability for start in starts])


def update(world: Ensemble) -> None:
    """Spend, import, depreciate."""
    p, s = world.params, world.state
    rise = s.threat.max(axis=-1) - s.threat0
    s.milex_share = s.milex_share0 * np.clip(
        1.0 + p.military.threat_response[:, None] * rise, 0.0, None
    )
    s.milex = s.milex_share * s.gdp
    imports = s.arms_flow.sum(axis=-2)
    s.capability = (
        (1.0 - p.military.depreciation[:, None]) * s.capability
        + s.milex
        + p.arms.capability_factor[:, None] * imports
    )
