namespace Synapse.Tests.Dlp.Corpus;

/// <summary>
/// E-mail addresses, phone numbers and IP addresses from standards' examples, regulators' published
/// fictional ranges and a public PII detector's test suite, each under its <c># source:</c>.
/// </summary>
internal static class PublicContacts
{
    public const string Text = """
# source: Wikipedia, "Email address" article, valid examples
Write to {{email:simple@example.com}} first.
Also {{email:very.common@example.com}}.
CC {{email:FirstName.LastName@EasierReading.org}} please.
Short one: {{email:x@example.com}}.
{{email:long.email-address-with-hyphens@and.subdomains.example.com}} is long but fine.
Tagged: {{email:user.name+tag+sorting@example.com}}.
Slash local part {{email:name/surname@example.com}}.
One-letter label {{email:example@s.example}} works.
Bang path {{email:mailhost!username@example.org}}.
Percent routing {{email:user%example.com@example.org}}.
Trailing hyphen {{email:user-@example.org}}.
# source: Wikipedia, "Email address" article, internationalised examples (RFC 6530 addresses)
Latin: {{email:Pelé@example.com}}.
Greek: {{email:δοκιμή@παράδειγμα.δοκιμή}}.
Traditional Chinese: {{email:我買@屋企.香港}}.
Japanese: {{email:二ノ宮@黒川.日本}}.
Cyrillic: {{email:медведь@с-балалайкой.рф}}.
Devanagari: {{email:संपर्क@डाटामेल.भारत}}.
# source: Wikipedia, "Email address" article, invalid examples
abc.example.com has no at sign.
a@b@{{email:c@example.com}} is not one address, but a reader sees the one at its end.
1234567890123456789012345678901234567890123456789012345678901234+x@example.com has a local part over 64.
i.like.underscores@but_they_are_not_allowed_in_this_part
# source: RFC 3492 and RFC 5891 (IDNA A-labels: punycode domains)
Mail {{email:info@xn--bcher-kva.example}} about the books.
Contact {{email:support@xn--d1acufc.xn--p1ai}} for Russian users.
# source: Microsoft Presidio, presidio-analyzer/tests/test_email_recognizer.py
{{email:info@presidio.site}}
my email is {{email:info@presidio.site}}
try one of this emails: {{email:info@presidio.site}} or {{email:anotherinfo@presidio.site}}
the email is my email is info@presidio.
# source: Ofcom, telephone numbers for drama (UK numbers reserved for fiction)
Call the London office on {{phone:020 7946 0000}}.
Leeds: {{phone:0113 496 0999}}.
Sheffield {{phone:0114 496 0123}} is open late.
Birmingham {{phone:0121 496 0456}} answers.
Edinburgh {{phone:0131 496 0789}}.
Glasgow {{phone:0141 496 0001}}.
Liverpool {{phone:0151 496 0999}}.
Manchester {{phone:0161 496 0500}}.
Newcastle {{phone:0191 498 0123}}.
Nottingham {{phone:0115 496 0321}}.
Leicester {{phone:0116 496 0456}}.
Bristol {{phone:0117 496 0789}}.
Reading {{phone:0118 496 0111}}.
The fictional area code: {{phone:01632 960123}}.
Cardiff {{phone:029 2018 0345}}.
Mobile {{phone:07700 900000}} or {{phone:07700 900999}}.
International form {{phone:+44 7700 900123}}.
With trunk prefix shown: {{phone:+44 (0)20 7946 0999}}.
# source: NANPA, 555-01XX numbers reserved for fictional use
Call {{phone:(212) 555-0100}} for sales.
Support {{phone:415-555-0199}} is 24/7.
Dial {{phone:1-800-555-0123}} toll free.
International {{phone:+1 202 555 0150}} from abroad.
# source: ACMA (Australia), phone numbers for use in drama
Mobile {{phone:0491 570 006}} in the script.
Another mobile {{phone:0491 570 156}}.
Sydney {{phone:(02) 5550 1234}}.
Melbourne {{phone:(03) 7010 1234}}.
International {{phone:+61 491 570 159}}.
Text {{phone:0491 570 157}} for the callback.
Mobile on file: {{phone:0491 570 158}}.
Text {{phone:0491 570 110}} for the callback.
Mobile on file: {{phone:0491 570 313}}.
Text {{phone:0491 570 737}} for the callback.
Mobile on file: {{phone:0491 571 266}}.
Text {{phone:0491 571 491}} for the callback.
Mobile on file: {{phone:0491 571 804}}.
Text {{phone:0491 572 549}} for the callback.
Mobile on file: {{phone:0491 572 665}}.
Text {{phone:0491 572 983}} for the callback.
Mobile on file: {{phone:0491 573 770}}.
Text {{phone:0491 573 087}} for the callback.
Mobile on file: {{phone:0491 574 118}}.
Text {{phone:0491 574 632}} for the callback.
Mobile on file: {{phone:0491 575 254}}.
Text {{phone:0491 575 789}} for the callback.
Mobile on file: {{phone:0491 576 398}}.
Text {{phone:0491 576 801}} for the callback.
Mobile on file: {{phone:0491 577 426}}.
Text {{phone:0491 577 644}} for the callback.
Mobile on file: {{phone:0491 578 957}}.
Text {{phone:0491 578 148}} for the callback.
Mobile on file: {{phone:0491 578 888}}.
Text {{phone:0491 579 212}} for the callback.
Mobile on file: {{phone:0491 579 760}}.
Text {{phone:0491 579 455}} for the callback.
# source: Microsoft Presidio, presidio-analyzer/tests/test_phone_recognizer.py
My US number is {{phone:(415) 555-0132}}, and my international one is {{phone:+1 415 555 0132}}
My Israeli number is {{phone:09-7625400}}
# source: Microsoft Presidio, presidio-analyzer/tests/data/context_sentences_tests.txt
my ip: {{ip_address:192.168.0.1}}
my phone number is {{phone:(425) 882-9090}}
my phone number is:{{phone:(425) 882-9090}}
my phone number is {{phone:425 8829090}}
try one of these phones {{phone:052 5552606}} {{phone:074-7111234}}
my phone number is {{phone:4258829090}}
my itin: 911701234
my itin is 911-70-1234
my taxpayer id is 911-701234 91170-1234
my driver license number: AA1B2**9ABA7
my driver license is H12234567
my driver license is: 1234567901234
my bank account number is 912803456
my passport number is 912803456
# source: RFC 5952 section 4 (recommended IPv6 text forms)
Use {{ip_address:2001:db8::1}} in examples.
Not {{ip_address:2001:db8:0:0:0:0:2:1}} but {{ip_address:2001:db8::2:1}}.
Longest run: {{ip_address:2001:db8:0:0:1:0:0:1}} becomes {{ip_address:2001:db8::1:0:0:1}}.
First run: {{ip_address:2001:0:0:1:0:0:0:1}} becomes {{ip_address:2001:0:0:1::1}}.
Lower case: {{ip_address:2001:db8::aaaa:0:0:1}}.
With port: [{{ip_address:2001:db8::1}}]:80.
# source: RFC 5737 (IPv4 documentation ranges)
Server {{ip_address:192.0.2.1}} is the first.
Peer {{ip_address:198.51.100.42}} connects.
Gateway {{ip_address:203.0.113.254}} answers.
Network {{ip_address:203.0.113.0/24}} is reserved.
# source: RFC 3849 (IPv6 documentation prefix) and RFC 4291 section 2.2 and 2.3 (text forms)
Prefix {{ip_address:2001:db8::/32}} is for documentation.
Full form {{ip_address:2001:DB8:0:0:8:800:200C:417A}}.
Compressed {{ip_address:2001:DB8::8:800:200C:417A}}.
Multicast {{ip_address:FF01::101}}.
Loopback {{ip_address:::1}}.
Embedded IPv4 {{ip_address:::13.1.68.3}}.
Mapped {{ip_address:::FFFF:129.144.52.38}}.
Mapped full {{ip_address:0:0:0:0:0:FFFF:129.144.52.38}}.
Subnet {{ip_address:2001:0DB8:0000:CD30:0000:0000:0000:0000/60}}.
Subnet compressed {{ip_address:2001:0DB8:0:CD30::/60}}.
Link-local prefix {{ip_address:FE80::/10}}.
# source: RFC 4007 section 11 and RFC 6874 (zone ids)
Scoped {{ip_address:fe80::1234%1}} on the first interface.
In a URI the zone is {{ip_address:fe80::a%25en1}}.
# source: Microsoft Presidio, presidio-analyzer/tests/test_ip_recognizer.py
microsoft.com {{ip_address:192.168.0.1}}
my ip: 192.168.0
microsoft.com {{ip_address:684D:1111:222:3333:4444:5555:6:77}}
684D:1111:222:3333:4444:5555:77
{{ip_address:2345:0425:2CA1:0000:0000:0567:5673:23b5}}
{{ip_address:2345:0425:2CA1::0567:5673:23b5}}
{{ip_address:2400:c401::5054:ff:fe1b:b031}}
my ip: {{ip_address:::1}}
connecting from {{ip_address:::1}}
{{ip_address:fe80::1}}
{{ip_address:2001:db8::8a2e:370:7334}}
{{ip_address:2001:db8:85a3::8a2e:370}}
{{ip_address:fe80::1%eth0}}
Server IP: {{ip_address:2001:db8::1}}
Connect to [{{ip_address:2001:db8::1}}]:8080
Gateway: {{ip_address:fe80::1}} on interface
Visit http://[{{ip_address:2001:db8::1}}]/path
SSH to user@{{ip_address:2001:db8::1}}
{{ip_address:::ffff:192.0.2.1}}
{{ip_address:::ffff:0:192.168.1.1}}
[{{ip_address:::ffff:192.168.1.1}}]:80
{{ip_address:::192.168.1.1}}
::ffff:256.0.0.1
{{ip_address:2001:db8::192.168.1.1}}
{{ip_address:64:ff9b::192.0.2.1}}
{{ip_address:2001:db8:85a3::8a2e:192.168.0.1}}
{{ip_address:2001:db8:0:0:0:0:192.168.1.1}}
NAT64: {{ip_address:64:ff9b::198.51.100.1}}
2001:db8::256.1.1.1
IPs: {{ip_address:192.168.1.1}}, {{ip_address:10.0.0.1}}, {{ip_address:2001:db8::1}}
MAC address aa:bb:cc:dd:ee:ff
Time 12:34:56
Ratio 1:2:3:4
CSS color #ff00aa
Version 1.2.3
Port 80:443
abc:def:ghi
123:abc
file:///path/to/file
std::cout
MyClass::toString
:::
IP192.168.1.1text
text192.168.1.1
({{ip_address:192.168.1.1}})
'{{ip_address:2001:db8::1}}'
IP: {{ip_address:192.168.1.1}}.
{{ip_address:192.168.1.1}},
Server IP: {{ip_address:2400:c401::5054:ff:fe1b:b031}}.
fe80::1text
text2001:db8::1
256.256.256.256
192.168.1.256
gggg:hhhh::1234
300.168.1.1
12345:db8::1
2001::db8::1
{{ip_address:192.168.2.1}}@eth0
localhost {{ip_address:127.0.0.1}}
Broadcast {{ip_address:255.255.255.255}}
Multicast {{ip_address:ff02::1}}
{{ip_address:192.168.1.0/24}}
{{ip_address:10.0.0.0/8}}
{{ip_address:::1/128}}
{{ip_address:fe80::1%eth0/64}}
{{ip_address:2001:db8::%eth0/128}}
{{ip_address:::ffff:192.168.1.0/96}}
{{ip_address:64:ff9b::192.0.2.0/96}}
Route is {{ip_address:10.0.0.0/8}}.
Use {{ip_address:2001:db8::/32}}.
{{ip_address:10.0.0.0}}/123
{{ip_address:2001:db8::}}/9999
""";
}
