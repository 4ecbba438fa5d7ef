// The commonest passwords, compiled by hand from public facts: the top of the published lists of
// passwords seen in breaches (the UK NCSC's "100k most common" list drawn from Have I Been Pwned,
// SecLists' 10-million-list top entries, SplashData/NordPass yearly top lists, and the Chinese
// lists published after the 2011 CSDN and 2012 12306 leaks). Passwords shorter than 10 characters
// (123456, password, qwerty, 5201314 …) are refused by the length rule already, so this list keeps
// the long ones and the short "base words" that people lengthen with digits or symbols (password →
// password123!): policy.ts refuses a base word with up to 4 digits/symbols added before or after.

/** Long entries of the public top lists (compared in lower case). */
export const COMMON_LONG = [
  '1234567890', '0987654321', '1234567891', '12345678910', '123456789a', '123456789q', 'a123456789', 'q123456789',
  '1111111111', '0000000000', '2222222222', '5555555555', '6666666666', '8888888888', '9999999999', '1212121212',
  '1122334455', '1234512345', '1234554321', '1357924680', '1029384756', '0123456789', '9876543210', '123123123123',
  '123456123456', '1qaz2wsx3edc', '1q2w3e4r5t', '1q2w3e4r5t6y', 'q1w2e3r4t5', 'q1w2e3r4t5y6', 'zaq12wsxcde3', 'zaq1zaq1zaq1',
  '1qazxsw23edc', 'qazwsxedcrfv', 'qwertyuiop', 'qwertyuiop123', 'qwerty123456', 'qwerty12345', 'qwerty1234', 'qwertyuiop1',
  'asdfghjkl;', 'asdfghjkl1', 'asdfghjkl123', 'zxcvbnm123', 'zxcvbnm1234', 'zxcvbnmasdf', 'qweasdzxc123', 'qweasdzxc1',
  'qweasd123456', 'abcdefghij', 'abcdefg123', 'abcd123456', 'abc1234567', 'abc123456789', 'aaaaaaaaaa', 'a1b2c3d4e5',
  'password12', 'password123', 'password1234', 'password12345', 'password123!', 'passw0rd123', 'p@ssw0rd123', 'p@ssword123',
  'password01', 'password99', 'passwordpassword', 'mypassword', 'mypassword1', 'newpassword', 'yourpassword', 'changeme123',
  'iloveyou12', 'iloveyou123', 'iloveyou1234', 'iloveyou!!', 'iloveyouforever', 'iloveyou2', 'woaini1314', 'woaini123456',
  'woaini520520', 'wo5201314', '5201314520', '52013145201314', '1314520520', 'aini1314520', 'welcome123', 'welcome1234',
  'welcome2024', 'welcome2025', 'welcome2026', 'letmein123', 'letmein1234', 'letmeinnow', 'trustno1trustno1', 'football123',
  'baseball123', 'basketball', 'basketball1', 'basketball23', 'football12', 'footballer', 'soccer1234', 'superman123',
  'batman12345', 'spiderman1', 'spiderman123', 'starwars123', 'pokemon123', 'princess12', 'princess123', 'sunshine123',
  'chocolate1', 'chocolate123', 'butterfly1', 'butterfly123', 'strawberry', 'strawberry1', 'watermelon', 'pineapple1',
  'michael123', 'jennifer123', 'jessica123', 'charlie123', 'jordan2323', 'michelle1', 'alexander1', 'christopher',
  'christina1', 'elizabeth1', 'victoria123', 'nicholas12', 'stephanie1', 'qwer123456', 'asdf123456', 'zxcv123456',
  'computer123', 'internet123', 'samsung123', 'samsung1234', 'google1234', 'facebook123', 'linkedin123', 'microsoft1',
  'administrator', 'admin123456', 'admin12345', 'administrator1', 'adminadmin', 'rootroot123', 'root123456', 'test123456',
  'test1234567', 'testtest123', 'guest12345', 'default123', 'master1234', 'master12345', 'monkey1234', 'dragon1234',
  'shadow1234', 'freedom123', 'whatever123', 'qazwsx1234', 'qazwsx123456', 'zxcasdqwe123', 'homelesspa', 'secret1234',
  'iloveyou1', 'lovelove123', 'loveyou1314', 'baby123456', 'family1234', 'mother1234', 'summer2024', 'summer2025',
  'spring2025', 'winter2024', 'autumn2025', 'january2025', 'monday1234', 'hello12345', 'hello123456', 'helloworld',
  'helloworld1', 'helloworld123', 'goodluck123', 'happy123456', 'happiness1', 'beautiful1', 'sweetheart', 'sweetheart1',
  'bestfriend', 'bestfriend1', 'everything', 'everything1', 'friendship', 'playstation', 'playstation2', 'blink18218',
  'liverpool1', 'liverpool123', 'chelsea123', 'arsenal123', 'manchester', 'manchester1', 'barcelona1', 'realmadrid',
  'juventus123', 'china123456', 'beijing2008', 'shanghai123', 'zhongguo123', 'woaiwojia', 'woaizhongguo', 'xiaoming123',
  'wang123456', 'zhang123456', 'li123456789', 'liu123456789', 'chen123456', 'huang123456', 'zhao123456', 'qq123456789',
  'qq1234567890', 'aa123456789', 'aa12345678', 'abc123abc123', 'a12345678910', 'asd123456789', 'zxc123456789', 'qwe123456789',
  'woshishui', 'wodemima123', 'mima123456', 'mima12345678', 'caonima123', 'nihao123456', 'tianya123', 'baidu123456',
  'taobao123456', 'xiaomi123456', 'huawei123456', 'iloveu1314', '147258369a', '1472583690', '1478963250', '1597534862',
  '3141592653', '7894561230', '1236547890', '1230456789', '9638527410', '147258369147', '123654789a', '741852963a',
  '123qweasdzxc', '123qwe123qwe', '123abc123abc', '123456qwerty', '123456abcdef', '123456asdfgh', '123456zxcvbn', '123456789abc',
  '11223344556677', '1234567890a', '1234567890q', 'qwertyqwerty', 'asdasdasdasd', 'qweqweqweqwe', 'asdfasdfasdf', 'zxczxczxczxc',
  'abcabcabcabc', 'passpass123', 'temp123456', 'changeme12', 'letmein12345', 'access1234', 'login12345', 'pass123456',
  'pass12345678', 'unknown123', 'asdfghjklqwertyuiop', 'qwertyuiopasdfghjkl', 'zxcvbnmasdfghjkl', 'credit123456', 'student123',
  'student1234', 'teacher123', 'school1234', 'university1', 'creditbank', 'creditbank1', 'xuefenyinhang', 'xuefen123456',
] as const;

/** Short passwords at the very top of the lists, which people lengthen with a few digits or symbols. */
export const COMMON_BASES = [
  '123456', '12345678', '123456789', '1234567', '12345', '1234', 'password', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'pass', 'qwerty',
  'qwerty123', 'qwertyu', 'asdfgh', 'asdfghjkl', 'zxcvbnm', 'abc123', 'abcdef', 'abcd1234', 'iloveyou', 'admin', 'root',
  'welcome', 'letmein', 'monkey', 'dragon', 'football', 'baseball', 'master', 'shadow', 'sunshine', 'princess', 'superman',
  'batman', 'trustno1', 'qazwsx', '1qaz2wsx', 'zaq12wsx', '1q2w3e4r', 'q1w2e3r4', 'qweasd', 'qweasdzxc', 'woaini', 'woaini1314',
  '5201314', '520520', '1314520', 'aini1314', 'zhang', 'wang', 'li', 'liu', 'chen', 'michael', 'jennifer', 'jordan', 'hunter',
  'killer', 'charlie', 'freedom', 'whatever', 'secret', 'hello', 'login', 'test', 'guest', 'changeme', 'default', 'starwars',
  'pokemon', 'computer', 'internet', 'google', 'samsung', 'summer', 'winter', 'spring', 'autumn', 'love', 'lovely', 'flower',
  'qq123456', 'aa123456', 'a123456', 'a12345678', 'aaaaaa', '111111', '000000', '666666', '888888', '123123', '654321',
  '112233', '121212', '987654321', 'student', 'teacher', 'school', 'china', 'beijing',
] as const;
