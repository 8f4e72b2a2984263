# fish completion for dipb(1)
#
# Install as dipb.fish in a directory of $fish_complete_path (for example
# /usr/share/fish/vendor_completions.d).
#
# The commands and options below follow 'dipb help' and 'dipb COMMAND
# --help'; tests/cli/docs.sh fails when they disagree.

# Prints the command (init, list...) of the command line, if any, after
# the global options.
function __dipb_cmd
    set -l tokens (commandline -opc)
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case -C --color
                set i (math $i + 2)
                continue
            case '-*'
            case '*'
                echo $tokens[$i]
                return 0
        end
        set i (math $i + 1)
    end
    return 1
end

# The -C DIR of the command line, if any.
function __dipb_dir
    set -l tokens (commandline -opc)
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case -C
                set -l j (math $i + 1)
                if test $j -le (count $tokens)
                    echo $tokens[$j]
                end
                return 0
            case '-C?*'
                string sub -s 3 -- $tokens[$i]
                return 0
            case --color
                set i (math $i + 1)
            case '-*'
            case '*'
                return 1
        end
        set i (math $i + 1)
    end
    return 1
end

function __dipb_needs_cmd
    not __dipb_cmd >/dev/null
end

# True when the command is one of the arguments.
function __dipb_using
    set -l cmd (__dipb_cmd)
    or return 1
    contains -- $cmd $argv
end

# True when the command has fewer than $argv[1] arguments so far, options
# and their values left out.
function __dipb_nargs_lt
    set -l tokens (commandline -opc)
    set -l seen 0
    set -l n 0
    set -l skip 0
    for t in $tokens[2..-1]
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case -C --color
                # dipb's own, before the command; diff's --color takes
                # its value only as --color=WHEN.
                test $seen -eq 0; and set skip 1
            case --config --retry --wg --title --summary --from -m -F --reference --to --outcome --status --format --since --until --today --max-classification -o -U --unified --reply-to --expect --at --attempts --date --attendee --apology --agenda --meeting --priority --topic --author --owner --grep --member --due --reason
                set skip 1
            case --board
                test (__dipb_cmd) = init; and set skip 1
            case --layout
                set skip 1
            case '-*'
            case '*'
                if test $seen -eq 0
                    set seen 1
                else
                    set n (math $n + 1)
                end
        end
    end
    test $n -lt $argv[1]
end

# The ids of the board's records, of the statuses given (all when none).
function __dipb_ids
    set -l bin (commandline -opc)[1]
    set -l C
    set -l dir (__dipb_dir)
    and set C -C $dir
    if test (count $argv) -eq 0
        command $bin $C list --format ids 2>/dev/null
        return
    end
    for s in $argv
        command $bin $C list --status $s --format ids 2>/dev/null
    end
end

# The working group keys of dipb.yaml at the top of the board's work tree.
function __dipb_wgs
    set -l C
    set -l dir (__dipb_dir)
    and set C -C $dir
    set -l top (command git $C rev-parse --show-toplevel 2>/dev/null)
    or return
    test -r $top/dipb.yaml; or return
    command sed -n "s/^  - key:[[:space:]]*['\"]\{0,1\}\([^'\" #]*\).*/\1/p" $top/dipb.yaml
end

# The members' emails in dipb.yaml at the top of the board's work tree.
function __dipb_emails
    set -l C
    set -l dir (__dipb_dir)
    and set C -C $dir
    set -l top (command git $C rev-parse --show-toplevel 2>/dev/null)
    or return
    test -r $top/dipb.yaml; or return
    command sed -n "s/^    email:[[:space:]]*['\"]\{0,1\}\([^'\" #]*\).*/\1/p" $top/dipb.yaml
end

complete -c dipb -e
complete -c dipb -f

# Global options.
complete -c dipb -n __dipb_needs_cmd -s C -x -a '(__fish_complete_directories)' -d 'Run as if started in DIR'
complete -c dipb -n __dipb_needs_cmd -l color -x -a 'auto always never' -d 'Colour the output'
complete -c dipb -n __dipb_needs_cmd -l version -d 'Print the version and exit'
complete -c dipb -n __dipb_needs_cmd -l help -d 'Print the usage and the commands'

# Commands.
complete -c dipb -n __dipb_needs_cmd -a init -d 'Make a board repository'
complete -c dipb -n __dipb_needs_cmd -a recommend -d 'Draft a new recommendation'
complete -c dipb -n __dipb_needs_cmd -a edit -d 'Edit a draft, or dipb.yaml with --board'
complete -c dipb -n __dipb_needs_cmd -a review -d 'Request review, recall, endorse, request changes, object or reply'
complete -c dipb -n __dipb_needs_cmd -a submit -d 'Submit endorsed recommendations'
complete -c dipb -n __dipb_needs_cmd -a decide -d 'Record the decision on a submitted (or deferred) recommendation'
complete -c dipb -n __dipb_needs_cmd -a withdraw -d 'Withdraw a recommendation before submission'
complete -c dipb -n __dipb_needs_cmd -a action -d 'Mark an action of a decided recommendation, or move its due date'
complete -c dipb -n __dipb_needs_cmd -a declassify -d 'Lower the classification of a recommendation'
complete -c dipb -n __dipb_needs_cmd -a list -d 'List recommendations'
complete -c dipb -n __dipb_needs_cmd -a todo -d 'List what waits for you, by role'
complete -c dipb -n __dipb_needs_cmd -a show -d 'Show one recommendation'
complete -c dipb -n __dipb_needs_cmd -a diff -d 'Show what the drafter changed between two versions'
complete -c dipb -n __dipb_needs_cmd -a log -d 'List the state changes of a record or of a window'
complete -c dipb -n __dipb_needs_cmd -a meeting -d 'Record a board meeting: attendance, agenda, notes'
complete -c dipb -n __dipb_needs_cmd -a migrate -d 'Move every record to the sharded or the flat layout'
complete -c dipb -n __dipb_needs_cmd -a report -d 'Write a status, package, minutes, actions or agenda report'
complete -c dipb -n __dipb_needs_cmd -a validate -d 'Check record files and dipb.yaml'
complete -c dipb -n __dipb_needs_cmd -a fmt -d 'Rewrite record files in canonical form'
complete -c dipb -n __dipb_needs_cmd -a verify -d 'Check the history against the workflow and the git contract'
complete -c dipb -n __dipb_needs_cmd -a allowed-signers -d "Print the board's keys as an allowed signers file for git"
complete -c dipb -n __dipb_needs_cmd -a schema -d 'Print the JSON Schema of a record or of dipb.yaml, for editors'
complete -c dipb -n __dipb_needs_cmd -a sync -d "Fetch, replay the local changes on the remote's, and push"
complete -c dipb -n __dipb_needs_cmd -a help -d 'Show help for a command'

# init [DIR] [--board NAME] [--config FILE] [--layout flat|sharded] [--retry N]
complete -c dipb -n '__dipb_using init' -l board -x -d 'Name of the board in the template'
complete -c dipb -n '__dipb_using init' -l config -r -F -d 'Use FILE as dipb.yaml'
complete -c dipb -n '__dipb_using init' -l layout -x -a 'flat sharded' -d 'Where the records live'
complete -c dipb -n '__dipb_using init' -l retry -x -d 'Lock retries'
complete -c dipb -n '__dipb_using init' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using init; and __dipb_nargs_lt 1' -x -a '(__fish_complete_directories)'

# recommend --wg KEY --title TEXT [--summary TEXT|-] [--from FILE] [--no-edit] [--retry N]
complete -c dipb -n '__dipb_using recommend' -l wg -x -a '(__dipb_wgs)' -d 'Working group'
complete -c dipb -n '__dipb_using recommend' -l title -x -d 'Title'
complete -c dipb -n '__dipb_using recommend' -l summary -x -d 'Summary, or - for standard input'
complete -c dipb -n '__dipb_using recommend' -l from -r -F -d 'YAML file with the drafted fields'
complete -c dipb -n '__dipb_using recommend' -l no-edit -d 'Do not open the editor'
complete -c dipb -n '__dipb_using recommend' -l retry -x -d 'Lock retries'
complete -c dipb -n '__dipb_using recommend' -l help -d 'Print the usage'

# edit ID [--no-edit] [--retry N] | edit --board [--no-edit] [--retry N]
complete -c dipb -n '__dipb_using edit' -l board -d 'Edit dipb.yaml'
complete -c dipb -n '__dipb_using edit' -l no-edit -d 'Commit the edit made in the working tree'
complete -c dipb -n '__dipb_using edit' -l retry -x -d 'Lock retries'
complete -c dipb -n '__dipb_using edit' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using edit; and __dipb_nargs_lt 1; and not __fish_seen_argument -l board' -a '(__dipb_ids draft returned)'

# review ID (--request|--recall|--endorse|--request-changes|--object) [--expect FINGERPRINT] [-m TEXT|-F FILE] [--retry N]
complete -c dipb -n '__dipb_using review' -l request -d 'Ask for review'
complete -c dipb -n '__dipb_using review' -l recall -d 'Take it back from review, to draft'
complete -c dipb -n '__dipb_using review' -l endorse -d 'Endorse'
complete -c dipb -n '__dipb_using review' -l request-changes -d 'Ask for changes'
complete -c dipb -n '__dipb_using review' -l object -d 'Object'
complete -c dipb -n '__dipb_using review' -l reply-to -x -a '(__dipb_emails)' -d 'Answer the review of REVIEWER'
complete -c dipb -n '__dipb_using review' -l expect -x -d 'Only if the fingerprint read is still the current one'
complete -c dipb -n '__dipb_using review' -s m -x -d 'Comment'
complete -c dipb -n '__dipb_using review' -s F -r -F -d 'Read the comment from FILE'
complete -c dipb -n '__dipb_using review' -l retry -x -d 'Lock retries'
complete -c dipb -n '__dipb_using review' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using review; and __dipb_nargs_lt 1' -a '(__dipb_ids draft returned in-review)'

# submit ID... [--reference REF] [--to TEXT] [--retry N]
complete -c dipb -n '__dipb_using submit' -l reference -x -d 'Reference of the submission'
complete -c dipb -n '__dipb_using submit' -l to -x -d 'To whom'
complete -c dipb -n '__dipb_using submit' -l retry -x -d 'Lock retries'
complete -c dipb -n '__dipb_using submit' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using submit' -a '(__dipb_ids endorsed)'

# decide ID --outcome agreed|noted|deferred|declined [-m TEXT] [--retry N]
complete -c dipb -n '__dipb_using decide' -l outcome -x -a 'agreed noted deferred declined' -d 'The decision'
complete -c dipb -n '__dipb_using decide' -s m -x -d 'Note on the decision'
complete -c dipb -n '__dipb_using decide' -l retry -x -d 'Lock retries'
complete -c dipb -n '__dipb_using decide' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using decide; and __dipb_nargs_lt 1' -a '(__dipb_ids submitted decided)'

# withdraw ID -m TEXT [--retry N]
complete -c dipb -n '__dipb_using withdraw' -s m -x -d 'Reason'
complete -c dipb -n '__dipb_using withdraw' -l retry -x -d 'Lock retries'
complete -c dipb -n '__dipb_using withdraw' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using withdraw; and __dipb_nargs_lt 1' -a '(__dipb_ids draft in-review returned endorsed)'

# action ID N ((--done|--dropped|--open) [-m TEXT] | --due DATE --reason TEXT)
# [--retry N]
complete -c dipb -n '__dipb_using action' -l done -d 'The action is done'
complete -c dipb -n '__dipb_using action' -l dropped -d 'The action is dropped'
complete -c dipb -n '__dipb_using action' -l open -d 'The action is open again'
complete -c dipb -n '__dipb_using action' -s m -x -d 'Comment'
complete -c dipb -n '__dipb_using action' -l due -x -d 'Move the due date (YYYY-MM-DD)'
complete -c dipb -n '__dipb_using action' -l reason -x -d 'Why the due date moves'
complete -c dipb -n '__dipb_using action' -l retry -x -d 'Lock retries'
complete -c dipb -n '__dipb_using action' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using action; and __dipb_nargs_lt 1' -a '(__dipb_ids decided)'

# declassify ID LEVEL [-m TEXT] [--retry N]
complete -c dipb -n '__dipb_using declassify' -s m -x -d 'Why'
complete -c dipb -n '__dipb_using declassify' -l retry -x -d 'Lock retries'
complete -c dipb -n '__dipb_using declassify' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using declassify; and __dipb_nargs_lt 1' -a '(__dipb_ids)'

# list [--status S] [--wg KEY] [--priority P] [--topic T] [--author WHO]
#      [--owner WHO] [--grep TEXT] [--format table|json|ids]
complete -c dipb -n '__dipb_using list' -l status -x -a 'draft in-review returned endorsed submitted decided withdrawn' -d 'Only this status'
complete -c dipb -n '__dipb_using list' -l wg -x -a '(__dipb_wgs)' -d 'Only this working group'
complete -c dipb -n '__dipb_using list' -l priority -x -a 'high medium low none' -d 'Only this priority'
complete -c dipb -n '__dipb_using list' -l topic -x -d 'Only with this topic'
complete -c dipb -n '__dipb_using list' -l author -x -a '(__dipb_emails)' -d 'Only drafted by this member'
complete -c dipb -n '__dipb_using list' -l owner -x -a '(__dipb_emails)' -d 'Only with an action this member owns'
complete -c dipb -n '__dipb_using list' -l grep -x -d 'Only holding this text'
complete -c dipb -n '__dipb_using list' -l format -x -a 'table json ids' -d 'Output format'
complete -c dipb -n '__dipb_using list' -l help -d 'Print the usage'

# todo [--member WHO] [--today DATE] [--format text|json]
complete -c dipb -n '__dipb_using todo' -l member -x -a '(__dipb_emails)' -d 'What waits for this member'
complete -c dipb -n '__dipb_using todo' -l today -x -d 'Count the days to DATE'
complete -c dipb -n '__dipb_using todo' -l format -x -a 'text json' -d 'Output format'
complete -c dipb -n '__dipb_using todo' -l help -d 'Print the usage'

# show ID [--format yaml|json|markdown|html]
complete -c dipb -n '__dipb_using show' -l format -x -a 'yaml json markdown html' -d 'Output format'
complete -c dipb -n '__dipb_using show' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using show; and __dipb_nargs_lt 1' -a '(__dipb_ids)'

# diff ID [FROM [TO]] [--since-review] [--all] [--stat] [-U|--unified N] [--color[=WHEN]] [--exit-code]
complete -c dipb -n '__dipb_using diff' -l since-review -d 'From the version you last reviewed'
complete -c dipb -n '__dipb_using diff' -l all -d 'Every field, not only the drafter\'s'
complete -c dipb -n '__dipb_using diff' -l stat -d 'Count the lines changed'
complete -c dipb -n '__dipb_using diff' -s U -l unified -x -d 'Lines of context'
complete -c dipb -n '__dipb_using diff' -l color -f -a 'auto always never' -d 'Colour the diff'
complete -c dipb -n '__dipb_using diff' -l exit-code -d 'Exit 1 when the versions differ'
complete -c dipb -n '__dipb_using diff' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using diff; and __dipb_nargs_lt 1' -a '(__dipb_ids)'

# log [ID] [--since WHEN] [--until WHEN] [--format text|json]
complete -c dipb -n '__dipb_using log' -l since -x -d 'From WHEN: a date, a tag or a revision'
complete -c dipb -n '__dipb_using log' -l until -x -d 'Up to WHEN: a date, a tag or a revision'
complete -c dipb -n '__dipb_using log' -l format -x -a 'text json' -d 'Output format'
complete -c dipb -n '__dipb_using log' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using log; and __dipb_nargs_lt 1' -a 'board meeting (__dipb_ids)'

# meeting [--date DATE] --attendee EMAIL... [--apology EMAIL...] [--agenda ID...] [--title TEXT]
#     [-m TEXT|-F FILE] [--retry N]
complete -c dipb -n '__dipb_using meeting' -l date -x -d 'Day of the meeting'
complete -c dipb -n '__dipb_using meeting' -l attendee -x -a '(__dipb_emails)' -d 'A member who attended'
complete -c dipb -n '__dipb_using meeting' -l apology -x -a '(__dipb_emails)' -d 'A member who sent apologies'
complete -c dipb -n '__dipb_using meeting' -l agenda -x -a '(__dipb_ids)' -d 'A recommendation on the agenda'
complete -c dipb -n '__dipb_using meeting' -l title -x -d 'Title of the minutes'
complete -c dipb -n '__dipb_using meeting' -s m -x -d 'Notes of the meeting'
complete -c dipb -n '__dipb_using meeting' -s F -r -F -d 'Read the notes from FILE'
complete -c dipb -n '__dipb_using meeting' -l retry -x -d 'Lock retries'
complete -c dipb -n '__dipb_using meeting' -l help -d 'Print the usage'

# migrate --layout sharded|flat [-m TEXT|-F FILE] [--retry N]
complete -c dipb -n '__dipb_using migrate' -l layout -x -a 'flat sharded' -d 'The layout to move the records to'
complete -c dipb -n '__dipb_using migrate' -s m -x -d 'Why'
complete -c dipb -n '__dipb_using migrate' -s F -r -F -d 'Read why from FILE'
complete -c dipb -n '__dipb_using migrate' -l retry -x -d 'Lock retries'
complete -c dipb -n '__dipb_using migrate' -l help -d 'Print the usage'

# report status|package|minutes|actions|agenda [--since WHEN] [--until WHEN] [--meeting DATE] [--reference REF] [--title TEXT]
#     [--today DATE] [--max-classification LEVEL] [--format markdown|html|man|latex|json] [-o FILE]
complete -c dipb -n '__dipb_using report' -l since -x -d 'Minutes from WHEN'
complete -c dipb -n '__dipb_using report' -l until -x -d 'Up to WHEN'
complete -c dipb -n '__dipb_using report' -l meeting -x -d 'Minutes of the meeting of DATE'
complete -c dipb -n '__dipb_using report' -l reference -x -d 'Reference of the submission'
complete -c dipb -n '__dipb_using report' -l title -x -d 'Title of the report'
complete -c dipb -n '__dipb_using report' -l today -x -d 'Date of the report'
complete -c dipb -n '__dipb_using report' -l max-classification -x -d 'Leave out records above LEVEL'
complete -c dipb -n '__dipb_using report' -l format -x -a 'markdown html man latex json' -d 'Output format'
complete -c dipb -n '__dipb_using report' -s o -r -F -d 'Write to FILE, atomically'
complete -c dipb -n '__dipb_using report' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using report; and __dipb_nargs_lt 1' -x -a 'status package minutes actions agenda'

# validate [PATH...] [--canonical] [--warnings-as-errors] [--format gcc|json|github|junit|sarif|gitlab|auto]
complete -c dipb -n '__dipb_using validate' -l canonical -d 'Also report files not in canonical form'
complete -c dipb -n '__dipb_using validate' -l warnings-as-errors -d 'Exit 1 on warnings too'
complete -c dipb -n '__dipb_using validate' -l format -x -a 'gcc json github junit sarif gitlab auto' -d 'Output format'
complete -c dipb -n '__dipb_using validate' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using validate' -F

# fmt [--check] [PATH...]
complete -c dipb -n '__dipb_using fmt' -l check -d 'Only name the files, write nothing'
complete -c dipb -n '__dipb_using fmt' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using fmt' -F

# verify [--since REV] [--format text|json|github|junit|sarif]
complete -c dipb -n '__dipb_using verify' -l since -x -d 'Only the commits after REV'
complete -c dipb -n '__dipb_using verify' -l format -x -a 'text json github junit sarif' -d 'Output format'
complete -c dipb -n '__dipb_using verify' -l help -d 'Print the usage'

# allowed-signers [--at REV]
complete -c dipb -n '__dipb_using allowed-signers' -l at -x -d 'The keys as of REV'
complete -c dipb -n '__dipb_using allowed-signers' -l help -d 'Print the usage'

# schema record|draft|board [--generic]
complete -c dipb -n '__dipb_using schema' -l generic -d "The schema of any board's records"
complete -c dipb -n '__dipb_using schema' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using schema; and __dipb_nargs_lt 1' -x -a 'record draft board'

# sync [REMOTE] [--no-push] [--attempts N] [--retry N]
complete -c dipb -n '__dipb_using sync' -l no-push -d 'Publish in this clone only'
complete -c dipb -n '__dipb_using sync' -l attempts -x -d 'Rounds when the remote keeps moving'
complete -c dipb -n '__dipb_using sync' -l retry -x -d 'Lock retries'
complete -c dipb -n '__dipb_using sync' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using sync; and __dipb_nargs_lt 1' -a '(git remote 2>/dev/null)'

# help [COMMAND]
complete -c dipb -n '__dipb_using help' -l help -d 'Print the usage'
complete -c dipb -n '__dipb_using help; and __dipb_nargs_lt 1' -a 'init recommend edit review submit decide withdraw action declassify meeting migrate list todo show diff log report validate fmt verify allowed-signers schema sync help'
