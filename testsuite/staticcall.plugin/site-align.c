/* x86-64 alignment on final addresses: in the linked program every site
   (a call/jmp to a key) starts at offset 0..3 of an 8-byte word, so the
   5-byte instruction lies inside one word whatever code precedes it.  */
/* { dg-do link { target x86_64-*-* } } */

int k0(int) __attribute__((static_call));
int k1(int, int) __attribute__((static_call));
int k2(long, int, int) __attribute__((static_call));
int k3(void) __attribute__((static_call));

int k0(int a) { return a + 1; }
int k1(int a, int b) { return a - b; }
int k2(long a, int b, int c) { return (int)a ^ b ^ c; }
int k3(void) { return 3; }

/* A static and a hidden key: gas would relax a jmp to them to rel8.  */
static int ks(int) __attribute__((static_call));
__attribute__((visibility("hidden"))) int kh(int) __attribute__((static_call));
static __attribute__((noinline)) int ks(int a) { return a * 5; }
__attribute__((noinline)) int kh(int a) { return a - 9; }

volatile int sink;

__attribute__((noinline)) int c0(int x)
{
	return k0(x + 0);
}

__attribute__((noinline)) int c1(int x)
{
	x = x * 7 + 316354;
	sink = k1(x, 77); return x + sink;
}

__attribute__((noinline)) int c2(int x)
{
	x = x * 259 + 101264;
	x = x * 3 + 197406;
	sink = k2((long)x << 2, x, 2); return x + sink;
}

__attribute__((noinline)) int c3(int x)
{
	x = x * 7 + 121633;
	x = x * 65539 + 450255;
	x = x * 3 + 180245;
	return k3();
}

__attribute__((noinline)) int c4(int x)
{
	x = x * 259 + 876971;
	x = x * 3 + 504707;
	x = x * 3 + 890282;
	x = x * 3 + 259632;
	sink = k0(x + 4); return x + sink;
}

__attribute__((noinline)) int c5(int x)
{
	x = x * 5 + 129735;
	x = x * 65539 + 831900;
	x = x * 3 + 463643;
	x = x * 3 + 279288;
	x = x * 7 + 878999;
	sink = k1(x, 385); return x + sink;
}

__attribute__((noinline)) int c6(int x)
{
	return k2((long)x << 6, x, 6);
}

__attribute__((noinline)) int c7(int x)
{
	x = x * 5 + 247029;
	sink = k3(); return x + sink;
}

__attribute__((noinline)) int c8(int x)
{
	x = x * 65539 + 646934;
	x = x * 65539 + 379011;
	sink = k0(x + 8); return x + sink;
}

__attribute__((noinline)) int c9(int x)
{
	x = x * 3 + 393995;
	x = x * 7 + 204327;
	x = x * 65539 + 131679;
	return k1(x, 693);
}

__attribute__((noinline)) int c10(int x)
{
	x = x * 65539 + 124993;
	x = x * 65539 + 431927;
	x = x * 259 + 896727;
	x = x * 7 + 976438;
	sink = k2((long)x << 10, x, 10); return x + sink;
}

__attribute__((noinline)) int c11(int x)
{
	x = x * 65539 + 950397;
	x = x * 7 + 628657;
	x = x * 5 + 376999;
	x = x * 5 + 171663;
	x = x * 65539 + 629669;
	sink = k3(); return x + sink;
}

__attribute__((noinline)) int c12(int x)
{
	return k0(x + 12);
}

__attribute__((noinline)) int c13(int x)
{
	x = x * 65539 + 1038335;
	sink = k1(x, 1001); return x + sink;
}

__attribute__((noinline)) int c14(int x)
{
	x = x * 7 + 941274;
	x = x * 7 + 153514;
	sink = k2((long)x << 1, x, 14); return x + sink;
}

__attribute__((noinline)) int c15(int x)
{
	x = x * 3 + 876868;
	x = x * 5 + 717344;
	x = x * 5 + 1025430;
	return k3();
}

__attribute__((noinline)) int c16(int x)
{
	x = x * 259 + 82224;
	x = x * 3 + 657977;
	x = x * 7 + 734378;
	x = x * 65539 + 1041603;
	sink = k0(x + 16); return x + sink;
}

__attribute__((noinline)) int c17(int x)
{
	x = x * 65539 + 956732;
	x = x * 3 + 196286;
	x = x * 7 + 994257;
	x = x * 3 + 127234;
	x = x * 7 + 934577;
	sink = k1(x, 1309); return x + sink;
}

__attribute__((noinline)) int c18(int x)
{
	return k2((long)x << 5, x, 18);
}

__attribute__((noinline)) int c19(int x)
{
	x = x * 7 + 809064;
	sink = k3(); return x + sink;
}

__attribute__((noinline)) int c20(int x)
{
	x = x * 7 + 47318;
	x = x * 259 + 745463;
	sink = k0(x + 20); return x + sink;
}

__attribute__((noinline)) int c21(int x)
{
	x = x * 5 + 245568;
	x = x * 259 + 123637;
	x = x * 5 + 602789;
	return k1(x, 1617);
}

__attribute__((noinline)) int c22(int x)
{
	x = x * 5 + 519286;
	x = x * 259 + 819881;
	x = x * 259 + 168992;
	x = x * 5 + 942015;
	sink = k2((long)x << 9, x, 22); return x + sink;
}

__attribute__((noinline)) int c23(int x)
{
	x = x * 259 + 582671;
	x = x * 5 + 902870;
	x = x * 65539 + 583892;
	x = x * 259 + 752398;
	x = x * 259 + 483921;
	sink = k3(); return x + sink;
}

__attribute__((noinline)) int c24(int x)
{
	return k0(x + 24);
}

__attribute__((noinline)) int c25(int x)
{
	x = x * 5 + 174032;
	sink = k1(x, 1925); return x + sink;
}

__attribute__((noinline)) int c26(int x)
{
	x = x * 5 + 317296;
	x = x * 5 + 489342;
	sink = k2((long)x << 0, x, 26); return x + sink;
}

__attribute__((noinline)) int c27(int x)
{
	x = x * 3 + 1017041;
	x = x * 65539 + 382401;
	x = x * 7 + 591252;
	return k3();
}

__attribute__((noinline)) int c28(int x)
{
	x = x * 3 + 305506;
	x = x * 259 + 774381;
	x = x * 65539 + 668178;
	x = x * 5 + 113232;
	sink = k0(x + 28); return x + sink;
}

__attribute__((noinline)) int c29(int x)
{
	x = x * 259 + 822879;
	x = x * 259 + 836720;
	x = x * 259 + 217134;
	x = x * 259 + 839790;
	x = x * 3 + 399738;
	sink = k1(x, 2233); return x + sink;
}

__attribute__((noinline)) int c30(int x)
{
	return k2((long)x << 4, x, 30);
}

__attribute__((noinline)) int c31(int x)
{
	x = x * 3 + 437809;
	sink = k3(); return x + sink;
}

__attribute__((noinline)) int c32(int x)
{
	x = x * 259 + 340375;
	x = x * 3 + 713145;
	sink = k0(x + 32); return x + sink;
}

__attribute__((noinline)) int c33(int x)
{
	x = x * 65539 + 110260;
	x = x * 3 + 490;
	x = x * 65539 + 317226;
	return k1(x, 2541);
}

__attribute__((noinline)) int c34(int x)
{
	x = x * 65539 + 212787;
	x = x * 7 + 53480;
	x = x * 3 + 436109;
	x = x * 65539 + 789011;
	sink = k2((long)x << 8, x, 34); return x + sink;
}

__attribute__((noinline)) int c35(int x)
{
	x = x * 5 + 529023;
	x = x * 7 + 763707;
	x = x * 259 + 257619;
	x = x * 3 + 1023553;
	x = x * 259 + 1007462;
	sink = k3(); return x + sink;
}

__attribute__((noinline)) int c36(int x)
{
	return k0(x + 36);
}

__attribute__((noinline)) int c37(int x)
{
	x = x * 259 + 654002;
	sink = k1(x, 2849); return x + sink;
}

__attribute__((noinline)) int c38(int x)
{
	x = x * 3 + 302237;
	x = x * 3 + 718560;
	sink = k2((long)x << 12, x, 38); return x + sink;
}

__attribute__((noinline)) int c39(int x)
{
	x = x * 7 + 1003743;
	x = x * 5 + 48436;
	x = x * 5 + 758650;
	return k3();
}

__attribute__((noinline)) int c40(int x)
{
	x = x * 5 + 56713;
	x = x * 65539 + 625140;
	x = x * 3 + 547599;
	x = x * 65539 + 769026;
	sink = k0(x + 40); return x + sink;
}

__attribute__((noinline)) int c41(int x)
{
	x = x * 5 + 745949;
	x = x * 5 + 691358;
	x = x * 5 + 409251;
	x = x * 5 + 840297;
	x = x * 5 + 419259;
	sink = k1(x, 3157); return x + sink;
}

__attribute__((noinline)) int c42(int x)
{
	return k2((long)x << 3, x, 42);
}

__attribute__((noinline)) int c43(int x)
{
	x = x * 65539 + 1033439;
	sink = k3(); return x + sink;
}

__attribute__((noinline)) int c44(int x)
{
	x = x * 7 + 60776;
	x = x * 3 + 585984;
	sink = k0(x + 44); return x + sink;
}

__attribute__((noinline)) int c45(int x)
{
	x = x * 259 + 543529;
	x = x * 5 + 722010;
	x = x * 259 + 732996;
	return k1(x, 3465);
}

__attribute__((noinline)) int c46(int x)
{
	x = x * 7 + 168901;
	x = x * 5 + 214240;
	x = x * 5 + 985830;
	x = x * 5 + 708287;
	sink = k2((long)x << 7, x, 46); return x + sink;
}

__attribute__((noinline)) int c47(int x)
{
	x = x * 5 + 1012198;
	x = x * 65539 + 4003;
	x = x * 259 + 721435;
	x = x * 3 + 251457;
	x = x * 259 + 418004;
	sink = k3(); return x + sink;
}

__attribute__((noinline)) int t0(int x)
{
	return kh(x);
}

__attribute__((noinline)) int t1(int x)
{
	x = x * 3 + 1;
	return ks(x);
}

__attribute__((noinline)) int t2(int x)
{
	x = x * 3 + 1;
	x = x * 5 + 3;
	return kh(x);
}

__attribute__((noinline)) int t3(int x)
{
	x = x * 3 + 1;
	x = x * 5 + 4;
	x = x * 7 + 7;
	return ks(x);
}

__attribute__((noinline)) int t4(int x)
{
	x = x * 3 + 1;
	x = x * 5 + 5;
	x = x * 7 + 9;
	x = x * 9 + 13;
	return kh(x);
}

__attribute__((noinline)) int t5(int x)
{
	x = x * 3 + 1;
	x = x * 5 + 6;
	x = x * 7 + 11;
	x = x * 9 + 16;
	x = x * 11 + 21;
	return ks(x);
}

__attribute__((noinline)) int t6(int x)
{
	x = x * 3 + 1;
	x = x * 5 + 7;
	x = x * 7 + 13;
	x = x * 9 + 19;
	x = x * 11 + 25;
	x = x * 13 + 31;
	return kh(x);
}

__attribute__((noinline)) int t7(int x)
{
	x = x * 3 + 1;
	x = x * 5 + 8;
	x = x * 7 + 15;
	x = x * 9 + 22;
	x = x * 11 + 29;
	x = x * 13 + 36;
	x = x * 15 + 43;
	return ks(x);
}

int many(int x)
{
	int s = 0;

	s += k0(s + 0);
	s += k1(s, x + 1);
	s += k2(s, 2, x);
	s += k3();
	s += k0(s + 76);
	s += k1(s, x + 5);
	s += k2(s, 6, x);
	s += k3();
	s += k0(s + 152);
	s += k1(s, x + 9);
	s += k2(s, 10, x);
	s += k3();
	s += k0(s + 228);
	s += k1(s, x + 13);
	s += k2(s, 14, x);
	s += k3();
	s += k0(s + 53);
	s += k1(s, x + 17);
	s += k2(s, 18, x);
	s += k3();
	s += k0(s + 129);
	s += k1(s, x + 21);
	s += k2(s, 22, x);
	s += k3();
	s += k0(s + 205);
	s += k1(s, x + 25);
	s += k2(s, 26, x);
	s += k3();
	s += k0(s + 30);
	s += k1(s, x + 29);
	s += k2(s, 30, x);
	s += k3();
	s += k0(s + 106);
	s += k1(s, x + 33);
	s += k2(s, 34, x);
	s += k3();
	s += k0(s + 182);
	s += k1(s, x + 37);
	s += k2(s, 38, x);
	s += k3();
	s += k0(s + 7);
	s += k1(s, x + 41);
	s += k2(s, 42, x);
	s += k3();
	s += k0(s + 83);
	s += k1(s, x + 45);
	s += k2(s, 46, x);
	s += k3();
	s += k0(s + 159);
	s += k1(s, x + 49);
	s += k2(s, 50, x);
	s += k3();
	s += k0(s + 235);
	s += k1(s, x + 53);
	s += k2(s, 54, x);
	s += k3();
	s += k0(s + 60);
	s += k1(s, x + 57);
	s += k2(s, 58, x);
	s += k3();
	s += k0(s + 136);
	s += k1(s, x + 61);
	s += k2(s, 62, x);
	s += k3();
	return s;
}

int main(void)
{
	int s = many(1);

	s += c0(s);
	s += c1(s);
	s += c2(s);
	s += c3(s);
	s += c4(s);
	s += c5(s);
	s += c6(s);
	s += c7(s);
	s += c8(s);
	s += c9(s);
	s += c10(s);
	s += c11(s);
	s += c12(s);
	s += c13(s);
	s += c14(s);
	s += c15(s);
	s += c16(s);
	s += c17(s);
	s += c18(s);
	s += c19(s);
	s += c20(s);
	s += c21(s);
	s += c22(s);
	s += c23(s);
	s += c24(s);
	s += c25(s);
	s += c26(s);
	s += c27(s);
	s += c28(s);
	s += c29(s);
	s += c30(s);
	s += c31(s);
	s += c32(s);
	s += c33(s);
	s += c34(s);
	s += c35(s);
	s += c36(s);
	s += c37(s);
	s += c38(s);
	s += c39(s);
	s += c40(s);
	s += c41(s);
	s += c42(s);
	s += c43(s);
	s += c44(s);
	s += c45(s);
	s += c46(s);
	s += c47(s);
	s += t0(s);
	s += t1(s);
	s += t2(s);
	s += t3(s);
	s += t4(s);
	s += t5(s);
	s += t6(s);
	s += t7(s);
	return s == 12345;
}

/* Every call to a key in the program: at offset 0..3 of its word.  */
/* The padding is CS prefixes (2e) of the call: with n of them the opcode
   byte is at the printed address + n, which must be at offset 0..3.  */
/* { dg-final { scan-objdump-not {\n *[0-9a-f]*[4-7c-f]:\te[89] [^\n]*(call|jmp) +[0-9a-f]+ <(k[0-3]|ks|kh|__staticcall_tail\.[^>]*)>} } } */
/* { dg-final { scan-objdump-not {\n *[0-9a-f]*[3-6b-e]:\t2e e[89] [^\n]*(call|jmp) +[0-9a-f]+ <(k[0-3]|ks|kh|__staticcall_tail\.[^>]*)>} } } */
/* { dg-final { scan-objdump-not {\n *[0-9a-f]*[2-5a-d]:\t2e 2e e[89] [^\n]*(call|jmp) +[0-9a-f]+ <(k[0-3]|ks|kh|__staticcall_tail\.[^>]*)>} } } */
/* { dg-final { scan-objdump-not {\n *[0-9a-f]*[1-49a-c]:\t2e 2e 2e e[89] [^\n]*(call|jmp) +[0-9a-f]+ <(k[0-3]|ks|kh|__staticcall_tail\.[^>]*)>} } } */
/* { dg-final { scan-objdump-not {\n *[0-9a-f]*[0-38-b]:\t2e 2e 2e 2e e[89] [^\n]*(call|jmp) +[0-9a-f]+ <(k[0-3]|ks|kh|__staticcall_tail\.[^>]*)>} } } */
/* { dg-final { scan-objdump {\n *[0-9a-f]*:\t(?:2e )*e[89] [^\n]*(call|jmp) +[0-9a-f]+ <(k[0-3]|ks|kh|__staticcall_tail\.[^>]*)>} } } */
/* No short (rel8) jump to a key.  */
/* { dg-final { scan-objdump-not {\teb [0-9a-f]{2}\s+jmp +[0-9a-f]+ <(k[0-3]|ks|kh|__staticcall_tail\.[^>]*)>} } } */
