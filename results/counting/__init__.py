"""Pure counting methods: plain data in, plain data out, no models and no I/O."""
