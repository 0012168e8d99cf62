"""Canvas Kit: component models, builders and the designer-edited templates in ``canvases/``."""
