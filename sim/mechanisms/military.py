"""Military capability: a perpetual-inventory stock of spending and arms imports.

K_t+1 = (1 - δ) K_t + M_t + φ · A_t, with M_t = m_i · Y_t (each state keeps its
2014 share of GDP for the military) and A_t its arms imports. The initial stock
sums 1990-2014 spending with the same depreciation.

References:
    Correlates of War NMC (Singer, Bremer & Stuckey 1972) for the idea of capability;
    perpetual inventory as in national accounts (OECD 2009, *Measuring Capital*).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.model import WorldModel


def update(model: WorldModel) -> None:
    """Spend, import, depreciate."""
    p = model.params
    model.milex = model.milex_share * model.gdp
    imports = model.arms_flow.sum(axis=0)
    model.capability = (
        (1.0 - p.military.depreciation) * model.capability
        + model.milex
        + p.arms.capability_factor * imports
    )
