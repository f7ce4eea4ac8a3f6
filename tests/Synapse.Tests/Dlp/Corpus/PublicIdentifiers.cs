namespace Synapse.Tests.Dlp.Corpus;

/// <summary>
/// US SSNs and UK National Insurance numbers from the issuers' published rules and examples and a
/// public PII detector's test suite, each under its <c># source:</c>.
/// </summary>
internal static class PublicIdentifiers
{
    public const string Text = """
# source: Microsoft Presidio, presidio-analyzer/tests/test_us_ssn_recognizer.py
{{us_ssn:078-05-1123}}
{{us_ssn:078.05.1123}}
{{us_ssn:078 05 1123}}
0780511201
078051120
000000000
666000000
078-05-0000
078 00 1123
693-09.4444
# source: Social Security Administration, "Social Security Number Randomization" and the SSA's notes on invalid and advertising numbers
The Woolworth wallet card number 078-05-1120 was never valid.
Advertisements use 987-65-4320 through 987-65-4329.
Numbers beginning with 666 such as 666-12-3456 are never issued.
Numbers beginning with 9 such as 912-34-5678 are ITINs, not SSNs.
Area 000 as in 000-12-3456 is never issued.
Group 00 as in 123-00-4567 is never issued.
Serial 0000 as in 123-45-0000 is never issued.
# source: Microsoft Presidio, presidio-analyzer/tests/test_uk_nino_recognizer.py
{{uk_nino:AA 12 34 56 B}}
{{uk_nino:hh 01 02 03 d}}
{{uk_nino:tw987654a}}
nino: {{uk_nino:PR 123612C}}
Here is my National Insurance Number {{uk_nino:YZ 61 48 68 B}}
AA 12 34 56 H
FQ 00 00 00 C
BG123612A
nino: nt 99 88 77 a
This isn't a valid national insurance number UV 98 76 54 B
# source: HMRC National Insurance Manual NIM39110 (prefix and suffix rules; QQ is used only in examples)
The form shows QQ 12 34 56 C as an example only.
Prefixes such as GB 12 34 56 A are never allocated.
Temporary references like TN 01 02 03 M are not NINOs.
""";
}
