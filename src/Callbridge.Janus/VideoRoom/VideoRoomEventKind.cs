namespace Callbridge.Janus.VideoRoom;

/// <summary>Unsolicited VideoRoom notifications a joined participant receives.</summary>
public enum VideoRoomEventKind
{
    /// <summary>Not a notification this type knows (kept raw in <see cref="JanusEvent.Data"/>).</summary>
    Other,

    /// <summary><c>joining</c>: someone joined (rooms with notify_joining).</summary>
    Joining,

    /// <summary><c>publishers</c>: new or updated publishers.</summary>
    Publishers,

    /// <summary><c>unpublished</c>: a publisher stopped (Janus 1.1.2 sends it twice, even for a rejected publish).</summary>
    Unpublished,

    /// <summary><c>leaving</c>: a participant left.</summary>
    Leaving,

    /// <summary><c>kicked</c>: a participant (maybe ourselves) was removed by the room's owner.</summary>
    Kicked,

    /// <summary><c>destroyed</c>: the room is gone.</summary>
    Destroyed,

    /// <summary><c>updated</c>: a subscription changed; a new offer comes with it.</summary>
    Updated,

    /// <summary><c>talking</c> (rooms with audiolevel_event).</summary>
    Talking,

    /// <summary><c>stopped-talking</c>.</summary>
    StoppedTalking,
}
