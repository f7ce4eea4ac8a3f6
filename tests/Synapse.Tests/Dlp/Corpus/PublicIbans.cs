namespace Synapse.Tests.Dlp.Corpus;

/// <summary>
/// IBANs: every country's example IBAN as the SWIFT IBAN Registry (ISO 13616) publishes it, compact
/// and in the printed groups of four; the same examples are the positives of a public PII detector's
/// test suite. Registry examples and a few of that suite's refused shapes; checksum-broken variants
/// are derived in <see cref="GeneratedCorpus"/> (not counted as public).
/// </summary>
internal static class PublicIbans
{
    public const string Text = """
# source: SWIFT IBAN Registry, example IBAN of each country (also Microsoft Presidio, presidio-analyzer/tests/test_iban_recognizer.py)
Transfer to {{iban:AL47212110090000000235698741}} by Friday.
IBAN: {{iban:AL47 2121 1009 0000 0002 3569 8741}}
IBAN: {{iban:AD1200012030200359100100}}
Please pay into {{iban:AD12 0001 2030 2003 5910 0100}} today.
Please pay into {{iban:AT611904300234573201}} today.
Account {{iban:AT61 1904 3002 3457 3201}} (beneficiary).
Account {{iban:AZ21NABZ00000000137010001944}} (beneficiary).
Transfer to {{iban:AZ21 NABZ 0000 0000 1370 1000 1944}} by Friday.
Transfer to {{iban:BH67BMAG00001299123456}} by Friday.
IBAN: {{iban:BH67 BMAG 0000 1299 1234 56}}
IBAN: {{iban:BY13NBRB3600900000002Z00AB00}}
Please pay into {{iban:BY13 NBRB 3600 9000 0000 2Z00 AB00}} today.
Please pay into {{iban:BE68539007547034}} today.
Account {{iban:BE68 5390 0754 7034}} (beneficiary).
Account {{iban:BE71096123456769}} (beneficiary).
Transfer to {{iban:BE71 0961 2345 6769}} by Friday.
Transfer to {{iban:BA391290079401028494}} by Friday.
IBAN: {{iban:BA39 1290 0794 0102 8494}}
IBAN: {{iban:BR9700360305000010009795493P1}}
Please pay into {{iban:BR97 0036 0305 0000 1000 9795 493P 1}} today.
Please pay into {{iban:BG80BNBG96611020345678}} today.
Account {{iban:BG80 BNBG 9661 1020 3456 78}} (beneficiary).
Account {{iban:CR05015202001026284066}} (beneficiary).
Transfer to {{iban:CR05 0152 0200 1026 2840 66}} by Friday.
Transfer to {{iban:HR1210010051863000160}} by Friday.
IBAN: {{iban:HR12 1001 0051 8630 0016 0}}
IBAN: {{iban:CY17002001280000001200527600}}
Please pay into {{iban:CY17 0020 0128 0000 0012 0052 7600}} today.
Please pay into {{iban:CZ6508000000192000145399}} today.
Account {{iban:CZ65 0800 0000 1920 0014 5399}} (beneficiary).
Account {{iban:DK5000400440116243}} (beneficiary).
Transfer to {{iban:DK50 0040 0440 1162 43}} by Friday.
Transfer to {{iban:DO28BAGR00000001212453611324}} by Friday.
IBAN: {{iban:DO28 BAGR 0000 0001 2124 5361 1324}}
IBAN: {{iban:TL380080012345678910157}}
Please pay into {{iban:TL38 0080 0123 4567 8910 157}} today.
Please pay into {{iban:EE382200221020145685}} today.
Account {{iban:EE38 2200 2210 2014 5685}} (beneficiary).
Account {{iban:FO6264600001631634}} (beneficiary).
Transfer to {{iban:FO62 6460 0001 6316 34}} by Friday.
Transfer to {{iban:FI2112345600000785}} by Friday.
IBAN: {{iban:FI21 1234 5600 0007 85}}
IBAN: {{iban:FR1420041010050500013M02606}}
Please pay into {{iban:FR14 2004 1010 0505 0001 3M02 606}} today.
Please pay into {{iban:GE29NB0000000101904917}} today.
Account {{iban:GE29 NB00 0000 0101 9049 17}} (beneficiary).
Account {{iban:DE89370400440532013000}} (beneficiary).
Transfer to {{iban:DE89 3704 0044 0532 0130 00}} by Friday.
Transfer to {{iban:GI75NWBK000000007099453}} by Friday.
IBAN: {{iban:GI75 NWBK 0000 0000 7099 453}}
IBAN: {{iban:GR1601101250000000012300695}}
Please pay into {{iban:GR16 0110 1250 0000 0001 2300 695}} today.
Please pay into {{iban:GL8964710001000206}} today.
Account {{iban:GL89 6471 0001 0002 06}} (beneficiary).
Account {{iban:GT82TRAJ01020000001210029690}} (beneficiary).
Transfer to {{iban:GT82 TRAJ 0102 0000 0012 1002 9690}} by Friday.
Transfer to {{iban:HU42117730161111101800000000}} by Friday.
IBAN: {{iban:HU42 1177 3016 1111 1018 0000 0000}}
IBAN: {{iban:IS140159260076545510730339}}
Please pay into {{iban:IS14 0159 2600 7654 5510 7303 39}} today.
Please pay into {{iban:IE29AIBK93115212345678}} today.
Account {{iban:IE29 AIBK 9311 5212 3456 78}} (beneficiary).
Account {{iban:IL620108000000099999999}} (beneficiary).
Transfer to {{iban:IL62 0108 0000 0009 9999 999}} by Friday.
Transfer to {{iban:IT60X0542811101000000123456}} by Friday.
IBAN: {{iban:IT60 X054 2811 1010 0000 0123 456}}
IBAN: {{iban:JO94CBJO0010000000000131000302}}
Please pay into {{iban:JO94 CBJO 0010 0000 0000 0131 0003 02}} today.
Please pay into {{iban:KZ86125KZT5004100100}} today.
Account {{iban:KZ86 125K ZT50 0410 0100}} (beneficiary).
Account {{iban:XK051212012345678906}} (beneficiary).
Transfer to {{iban:XK05 1212 0123 4567 8906}} by Friday.
Transfer to {{iban:KW81CBKU0000000000001234560101}} by Friday.
IBAN: {{iban:KW81 CBKU 0000 0000 0000 1234 5601 01}}
IBAN: {{iban:LV80BANK0000435195001}}
Please pay into {{iban:LV80 BANK 0000 4351 9500 1}} today.
Please pay into {{iban:LB62099900000001001901229114}} today.
Account {{iban:LB62 0999 0000 0001 0019 0122 9114}} (beneficiary).
Account {{iban:LI21088100002324013AA}} (beneficiary).
Transfer to {{iban:LI21 0881 0000 2324 013A A}} by Friday.
Transfer to {{iban:LT121000011101001000}} by Friday.
IBAN: {{iban:LT12 1000 0111 0100 1000}}
IBAN: {{iban:LU280019400644750000}}
Please pay into {{iban:LU28 0019 4006 4475 0000}} today.
Please pay into {{iban:MT84MALT011000012345MTLCAST001S}} today.
Account {{iban:MT84 MALT 0110 0001 2345 MTLC AST0 01S}} (beneficiary).
Account {{iban:MR1300020001010000123456753}} (beneficiary).
Transfer to {{iban:MR13 0002 0001 0100 0012 3456 753}} by Friday.
Transfer to {{iban:MU17BOMM0101101030300200000MUR}} by Friday.
IBAN: {{iban:MU17 BOMM 0101 1010 3030 0200 000M UR}}
IBAN: {{iban:MD24AG000225100013104168}}
Please pay into {{iban:MD24 AG00 0225 1000 1310 4168}} today.
Please pay into {{iban:MC5811222000010123456789030}} today.
Account {{iban:MC58 1122 2000 0101 2345 6789 030}} (beneficiary).
Account {{iban:ME25505000012345678951}} (beneficiary).
Transfer to {{iban:ME25 5050 0001 2345 6789 51}} by Friday.
Transfer to {{iban:NL91ABNA0417164300}} by Friday.
IBAN: {{iban:NL91 ABNA 0417 1643 00}}
IBAN: {{iban:MK07250120000058984}}
Please pay into {{iban:MK07 2501 2000 0058 984}} today.
Please pay into {{iban:NO9386011117947}} today.
Account {{iban:NO93 8601 1117 947}} (beneficiary).
Account {{iban:PK36SCBL0000001123456702}} (beneficiary).
Transfer to {{iban:PK36 SCBL 0000 0011 2345 6702}} by Friday.
Transfer to {{iban:PS92PALS000000000400123456702}} by Friday.
IBAN: {{iban:PS92 PALS 0000 0000 0400 1234 5670 2}}
IBAN: {{iban:PL61109010140000071219812874}}
Please pay into {{iban:PL61 1090 1014 0000 0712 1981 2874}} today.
Please pay into {{iban:PT50000201231234567890154}} today.
Account {{iban:PT50 0002 0123 1234 5678 9015 4}} (beneficiary).
Account {{iban:QA58DOHB00001234567890ABCDEFG}} (beneficiary).
Transfer to {{iban:QA58 DOHB 0000 1234 5678 90AB CDEF G}} by Friday.
Transfer to {{iban:RO49AAAA1B31007593840000}} by Friday.
IBAN: {{iban:RO49 AAAA 1B31 0075 9384 0000}}
IBAN: {{iban:SM86U0322509800000000270100}}
Please pay into {{iban:SM86 U032 2509 8000 0000 0270 100}} today.
Please pay into {{iban:SA0380000000608010167519}} today.
Account {{iban:SA03 8000 0000 6080 1016 7519}} (beneficiary).
Account {{iban:RS35260005601001611379}} (beneficiary).
Transfer to {{iban:RS35 2600 0560 1001 6113 79}} by Friday.
Transfer to {{iban:SK3112000000198742637541}} by Friday.
IBAN: {{iban:SK31 1200 0000 1987 4263 7541}}
IBAN: {{iban:SI56263300012039086}}
Please pay into {{iban:SI56 2633 0001 2039 086}} today.
Please pay into {{iban:ES9121000418450200051332}} today.
Account {{iban:ES91 2100 0418 4502 0005 1332}} (beneficiary).
Account {{iban:SE4550000000058398257466}} (beneficiary).
Transfer to {{iban:SE45 5000 0000 0583 9825 7466}} by Friday.
Transfer to {{iban:CH9300762011623852957}} by Friday.
IBAN: {{iban:CH93 0076 2011 6238 5295 7}}
IBAN: {{iban:TN5910006035183598478831}}
Please pay into {{iban:TN59 1000 6035 1835 9847 8831}} today.
Please pay into {{iban:TR330006100519786457841326}} today.
Account {{iban:TR33 0006 1005 1978 6457 8413 26}} (beneficiary).
Account {{iban:AE070331234567890123456}} (beneficiary).
Transfer to {{iban:AE07 0331 2345 6789 0123 456}} by Friday.
Transfer to {{iban:GB29NWBK60161331926819}} by Friday.
IBAN: {{iban:GB29 NWBK 6016 1331 9268 19}}
IBAN: {{iban:VA59001123000012345678}}
Please pay into {{iban:VA59 0011 2300 0012 3456 78}} today.
Please pay into {{iban:VG96VPVG0000012345678901}} today.
Account {{iban:VG96 VPVG 0000 0123 4567 8901}} (beneficiary).
# source: Microsoft Presidio, presidio-analyzer/tests/test_iban_recognizer.py (wrong check digits, wrong characters, wrong lengths)
The bank refused AL47 2121 1009 0000 0002 3569 8740 as invalid.
The bank refused AD12 0001 2030 2003 5910 0101 as invalid.
The bank refused AT61 1904 3002 3457 3202 as invalid.
The bank refused AZ21NABZ00000000137010001945 as invalid.
The bank refused BH67BMAG00001299123457 as invalid.
The bank refused BY13NBRB3600900000002Z00AB01 as invalid.
The bank refused BE71 0961 2345 6760 as invalid.
The bank refused BA39 1290 0794 0102 8495 as invalid.
The bank refused BR97 0036 0305 0000 1000 9795 493P 2 as invalid.
The bank refused BG80 BNBG 9661 1020 3456 79 as invalid.
The bank refused CR05 0152 0200 1026 2840 67 as invalid.
The bank refused HR12 1001 0051 8630 0016 1 as invalid.
The bank refused CY17 0020 0128 0000 0012 0052 7601 as invalid.
The bank refused CZ65 0800 0000 1920 0014 5390 as invalid.
The bank refused DK50 0040 0440 1162 44 as invalid.
The bank refused DO28 BAGR 0000 0001 2124 5361 1325 as invalid.
The bank refused TL38 0080 0123 4567 8910 158 as invalid.
The bank refused EE38 2200 2210  014 5686 as invalid.
The bank refused FO62 6460 0001 6316 35 as invalid.
The bank refused FI21 1234 5600 0007 86 as invalid.
The bank refused FR14 2004 1010 0505 0001 3M02 607 as invalid.
The bank refused GE29 NB00 0000 0101 9049 18 as invalid.
The bank refused DE89 3704 0044 0532 0130 01 as invalid.
The bank refused GI75 NWBK 0000 0000 7099 454 as invalid.
The bank refused GR16 0110 1250 0000 0001 2300 696 as invalid.
The bank refused GL89 6471 0001 0002 07 as invalid.
The bank refused GT82 TRAJ 0102 0000 0012 1002 9691 as invalid.
The bank refused HU42 1177 3016 1111 1018 0000 0001 as invalid.
The bank refused IS14 0159 2600 7654 5510 7303 30 as invalid.
The bank refused IE29 AIBK 9311 5212 3456 79 as invalid.
The bank refused IL62 0108 0000 0009 9999 990 as invalid.
The bank refused IT60 X054 2811 1010 0000 0123 457 as invalid.
The bank refused JO94 CBJO 0010 0000 0000 0131 0003 03 as invalid.
The bank refused KZ86 125K ZT50 0410 0101 as invalid.
The bank refused XK05 1212 0123 4567 8907 as invalid.
The bank refused KW81 CBKU 0000 0000 0000 1234 5601 02 as invalid.
The bank refused LV80 BANK 0000 4351 9500 2 as invalid.
The bank refused LB62 0999 0000 0001 0019 0122 9115 as invalid.
The bank refused LI21 0881 0000 2324 013A B as invalid.
The bank refused LT12 1000 0111 0100 1001 as invalid.
The bank refused LU28 0019 4006 4475 0001 as invalid.
The bank refused MT84 MALT 0110 0001 2345 MTLC AST0 01T as invalid.
The bank refused MR13 0002 0001 0100 0012 3456 754 as invalid.
The bank refused MU17 BOMM 0101 1010 3030 0200 000M US as invalid.
The bank refused MD24 AG00 0225 1000 1310 4169 as invalid.
The bank refused MC58 1122 2000 0101 2345 6789 031 as invalid.
The bank refused ME25 5050 0001 2345 6789 52 as invalid.
The bank refused NL91 ABNA 0417 1643 01 as invalid.
The bank refused MK07 2501 2000 0058 985 as invalid.
The bank refused NO93 8601 1117 948 as invalid.
The bank refused PK36 SCBL 0000 0011 2345 6703 as invalid.
The bank refused PS92 PALS 0000 0000 0400 1234 5670 3 as invalid.
The bank refused PL61 1090 1014 0000 0712 1981 2875 as invalid.
The bank refused PT50 0002 0123 1234 5678 9015 5 as invalid.
The bank refused QA58 DOHB 0000 1234 5678 90AB CDEF H as invalid.
The bank refused RO49 AAAA 1B31 0075 9384 0001 as invalid.
The bank refused SM86 U032 2509 8000 0000 0270 101 as invalid.
The bank refused SA03 8000 0000 6080 1016 7510 as invalid.
The bank refused RS35 2600 0560 1001 6113 70 as invalid.
The bank refused SK31 1200 0000 1987 4263 7542 as invalid.
The bank refused SI56 2633 0001 2039 087 as invalid.
The bank refused ES91 2100 0418 4502 0005 1333 as invalid.
The bank refused SE45 5000 0000 0583 9825 7467 as invalid.
The bank refused CH93 0076 2011 6238 5295 8 as invalid.
The bank refused TR33 0006 1005 1978 6457 8413 27 as invalid.
The bank refused AE07 0331 2345 6789 0123 457 as invalid.
The bank refused GB29 NWBK 6016 1331 9268 10 as invalid.
The bank refused VA59 0011 2300 0012 3456 79 as invalid.
The bank refused VG96 VPVG 0000 0123 4567 8902 as invalid.
The bank refused AL47 212A 1009 0000 0002 3569 8741 as invalid.
The bank refused AT61 1904 A002 3457 3201 as invalid.
The bank refused BE71 A961 2345 6769 as invalid.
The bank refused DE89 A704 0044 0532 0130 00 as invalid.
The bank refused ES91 A100 0418 4502 0005 1332 as invalid.
The bank refused GB29 1WBK 6016 1331 9268 19 as invalid.
The bank refused NL91 1BNA 0417 1643 00 as invalid.
The bank refused CH93 A076 2011 6238 5295 7 as invalid.
The bank refused FR14 A004 1010 0505 0001 3M02 606 as invalid.
The bank refused IT60 XW54 2811 1010 0000 0123 456 as invalid.
The bank refused PL61 A090 1014 0000 0712 1981 2874 as invalid.
The bank refused SE45 A000 0000 0583 9825 7466 as invalid.
The bank refused NO93 A601 1117 947 as invalid.
The bank refused G T82 TRAJ 0102 0000 0012 1002 9690 as invalid.
The bank refused GI75 aWBK 0000 0000 7099 453 as invalid.
The bank refused KW81 aBKU 0000 0000 0000 1234 5601 01 as invalid.
The bank refused QA58 0OHB 0000 1234 5678 90AB CDEF G as invalid.
The bank refused RO49 0AAA 1B31 0075 9384 0000 as invalid.
The bank refused SM86 0032 2509 8000 0000 0270 100 as invalid.
The bank refused AL47 212A 1009 0000 0002 3569 874 as invalid.
The bank refused AZ21NABZ000000001370100019 as invalid.
The bank refused BE6853900754703 as invalid.
The bank refused HR121001005186300016 as invalid.
The bank refused MD24 AG00 0225 1000 1310 416 as invalid.
The bank refused BR9700360305000010009795493P as invalid.
The bank refused AT61 1904 3002 3457 320 as invalid.
# source: Microsoft Presidio, presidio-analyzer/tests/test_iban_recognizer.py (refused shapes)
AB150120690000003111141
IL15 0120 6900 0000
IL150120690000003111141
AM47212110090000000235698740
this is an iban {{iban:VG96 VPVG 0000 0123 4567 8901}} in a sentence
list of ibans: {{iban:AL47212110090000000235698741}}, {{iban:AL47212110090000000235698741}}
Dalla's Pizza | 3843 Peartree Road, Bamblee, SD 20241 {{phone:440-600-5124}}
""";
}
