namespace Callbridge.ClientCaptions.Commands;

internal enum KeySourceKind
{
    None,
    File,
    Environment,
    Stdin,
}
