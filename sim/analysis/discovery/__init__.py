"""Scenario discovery: which inputs lead to an outcome (PRIM boxes, CART leaves, scores).

``find`` chooses PRIM's box and puts the discovery together, ``data`` reads the
folder and the question, ``boxes`` reads EMA Workbench's boxes and runs CART, and
``report`` words the report.
"""
