"""One module per mechanism: vectorised updates on the model, decisions for agents."""
