using System.Runtime.InteropServices;

namespace Callbridge.Speech.PocketSphinx;

/// <summary>
/// P/Invoke surface of Debian's pocketsphinx 0.8+5prealpha (pocketsphinx.h) and sphinxbase (cmd_ln.h,
/// logmath.h, err.h). Configuration goes through cmd_ln_parse_r with an argv array because
/// cmd_ln_init is C varargs.
/// </summary>
internal static unsafe partial class PocketSphinxNative
{
    internal const string PocketSphinx = "libpocketsphinx.so.3";
    internal const string PocketSphinxPackage = "libpocketsphinx3";
    internal const string SphinxBase = "libsphinxbase.so.3";
    internal const string SphinxBasePackage = "libsphinxbase3";

    [LibraryImport(PocketSphinx)]
    internal static partial IntPtr ps_args();

    [LibraryImport(PocketSphinx)]
    internal static partial IntPtr ps_init(IntPtr config);

    [LibraryImport(PocketSphinx)]
    internal static partial int ps_free(IntPtr ps);

    [LibraryImport(PocketSphinx)]
    internal static partial int ps_start_utt(IntPtr ps);

    [LibraryImport(PocketSphinx)]
    internal static partial int ps_process_raw(IntPtr ps, short* data, nuint nSamples, int noSearch, int fullUtt);

    [LibraryImport(PocketSphinx)]
    internal static partial int ps_end_utt(IntPtr ps);

    [LibraryImport(PocketSphinx)]
    internal static partial IntPtr ps_get_hyp(IntPtr ps, out int bestScore);

    [LibraryImport(PocketSphinx)]
    internal static partial int ps_get_prob(IntPtr ps);

    [LibraryImport(PocketSphinx)]
    internal static partial IntPtr ps_get_logmath(IntPtr ps);

    [LibraryImport(SphinxBase)]
    internal static partial IntPtr cmd_ln_parse_r(IntPtr inoutCmdln, IntPtr defn, int argc, IntPtr* argv, int strict);

    [LibraryImport(SphinxBase)]
    internal static partial int cmd_ln_free_r(IntPtr cmdln);

    [LibraryImport(SphinxBase)]
    internal static partial double logmath_exp(IntPtr lmath, int logbP);

    [LibraryImport(SphinxBase)]
    internal static partial void err_set_logfp(IntPtr stream);
}
