# Runtime core, arch back end, hosted platform: see issue 4.
