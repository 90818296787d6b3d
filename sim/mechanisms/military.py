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

if TYPE_CHECKING:
    from sim.model import WorldModel


def update(model: WorldModel) -> None:
    """Spend, import, depreciate."""
    p = model.params
    rise = model.threat.max(axis=-1) - model.threat0
    model.milex_share = model.milex_share0 * np.clip(
        1.0 + p.military.threat_response * rise, 0.0, None
    )
    model.milex = model.milex_share * model.gdp
    imports = model.arms_flow.sum(axis=-2)
    model.capability = (
        (1.0 - p.military.depreciation) * model.capability
        + model.milex
        + p.arms.capability_factor * imports
    )
