"""WHH Desktop: offline case management of the Wohnungsnotfallhilfe Kreis Herford."""

__version__ = "0.1.0"
