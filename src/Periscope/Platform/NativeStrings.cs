using System.Runtime.InteropServices;

namespace Periscope.Platform;

/// <summary>NULL-terminated arrays of UTF-8 C strings, as argv and envp are passed to exec and posix_spawn.</summary>
internal static class NativeStrings
{
    public static unsafe nint* Alloc(string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var array = (nint*)NativeMemory.Alloc((nuint)(values.Length + 1), (nuint)sizeof(nint));
        for (var i = 0; i < values.Length; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        }

        array[values.Length] = 0;
        return array;
    }

    public static unsafe void Free(nint* array)
    {
        for (var p = array; *p != 0; p++)
        {
            Marshal.FreeCoTaskMem(*p);
        }

        NativeMemory.Free(array);
    }
}
