"""Military capability: a perpetual-inventory stock of spending and arms imports.

K_t+1 = (1 - δ) K_t + M_t + φ · A_t, with M_t = m_i,t · Y_t and A_t the arms
imports. The military share of GDP (the burden) m_i,t is the 2014 share, raised (or
lowered) in proportion to the change in the largest threat the state faces since 2014,
within a budget: never above the highest share its own 1990-2014 record or its peers'
show (``milex_share_cap``, sim/data/milex_burden.csv),

    m_i,t = min(m̄_i, m_i,2014 · max(0, 1 + r (θ_i,t - θ_i,2014))),  r = ``threat_response``,

with m̄_i = max(m_i,2014, cap_i). A burden above the 2014 one costs growth
(``burden_drag``, read by the economy). The initial stock sums 1990-2014 spending with
the same depreciation.

References:
    Correlates of War NMC (Singer, Bremer & Stuckey 1972) for the idea of capability;
    perpetual inventory as in national accounts (OECD 2009, *Measuring Capital*);
    World Bank WDI military expenditure (% of GDP), 1990-2014, for the caps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.world_state import FIXED, SHARED, STATE, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

STATE = {
    "milex_share0": Field(STATE, "military spending's share of GDP in the start year", FIXED),
    "milex_share_cap": Field(
        STATE, "highest military share of GDP: own 1990-2014 record or peers'", SHARED
    ),
    "milex_share": Field(STATE, "military spending's share of GDP this year", physical=True),
    "milex": Field(STATE, "military spending, US$ bn", physical=True),
    "capability": Field(STATE, "accumulated military capability stock, US$ bn", physical=True),
}


def start(world: Ensemble, starts: list[StartingWorld]) -> None:
    """Start-year spending, its share of GDP, its cap, and the stock of 1990-2014 spending."""
    s = world.state
    milex = [start.attributes["milex_usd_bn"] for start in starts]
    stack(s, "milex", milex)
    s.milex_share = np.divide(s.milex, s.gdp0, out=np.zeros_like(s.milex), where=s.gdp0 > 0)
    s.milex_share0 = s.milex_share.copy()
    cap = starts[0].attributes["milex_share_cap_pct"] / 100.0
    stack(s, "milex_share_cap", [cap])
    stack(s, "capability", [start.capability for start in starts])


def burden_drag(world: Ensemble) -> np.ndarray:
    """Growth lost this year to a military burden above the 2014 one (fraction a year).

    c · max(0, m_i - m_i,2014), c = ``military.burden_growth_cost`` (pp of growth per pp
    of burden); the burden is last year's, since spending is decided after growth.
    """
    s = world.state
    rise = np.clip(s.milex_share - s.milex_share0, 0.0, None)
    return world.params.military.burden_growth_cost[:, None] * rise


def update(world: Ensemble) -> None:
    """Spend within the budget, import, depreciate."""
    p, s = world.params, world.state
    rise = s.threat.max(axis=-1) - s.threat0
    wanted = s.milex_share0 * np.clip(1.0 + p.military.threat_response[:, None] * rise, 0.0, None)
    s.milex_share = np.minimum(wanted, np.maximum(s.milex_share0, s.milex_share_cap))
    s.milex = s.milex_share * s.gdp
    imports = s.arms_flow.sum(axis=-2)
    s.capability = (
        (1.0 - p.military.depreciation[:, None]) * s.capability
        + s.milex
        + p.arms.capability_factor[:, None] * imports
    )
