/* none.c - property.exp's control: an object built without the flags. */
int sc_protect_none(int x);
int sc_protect_none(int x) { return x + 1; }
