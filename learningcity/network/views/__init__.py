"""Pages of the network: `public` (a network, its cities, library, comparison, partnerships), `dialogue`
(discussions), `city` (a city's own pages: its practices, shared indicators, partnerships, people)."""
