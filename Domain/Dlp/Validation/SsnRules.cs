
namespace Synapse.Dlp.Validation;

/// <summary>
/// US Social Security number ranges the SSA never issues: area 000, 666 or 900–999, group 00,
/// serial 0000; plus the two numbers famously printed on sample cards (078-05-1120, 219-09-9999).
/// </summary>
internal static class SsnRules
{
    public static bool IsValid(int area, int group, int serial)
    {
        if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0)
        {
            return false;
        }

        return !(area == 78 && group == 5 && serial == 1120) && !(area == 219 && group == 9 && serial == 9999);
    }
}
