IC_SPECS = []
