"""Status pages teams host for their own services: Cachet, Upptime and Uptime Kuma."""
